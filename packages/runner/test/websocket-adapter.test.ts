import { describe, expect, it } from "vitest"
import { TunnelCloseEvent, TunnelWebSocket } from "../src/index.js"
import type { WebSocketControl } from "../src/tunnel/websocket.js"

function adapter(options: { restored?: boolean; buffered?: number } = {}) {
  const sent: Array<{ data: Uint8Array; binary: boolean }> = []
  const closes: Array<{ code: number | null; reason: string | null }> = []
  let control: WebSocketControl | undefined
  const ws = new TunnelWebSocket(
    {
      url: "ws://actor/chat",
      requestId: "00",
      restored: options.restored ?? false,
      sink: {
        send: (data, binary) => sent.push({ data: new Uint8Array(data), binary }),
        close: (code, reason) => closes.push({ code, reason }),
        bufferedAmount: () => options.buffered ?? 0,
        drained: () => Promise.resolve(),
      },
    },
    (bound) => {
      control = bound
    },
  )
  if (control === undefined) throw new Error("no control bound")
  return { ws, control, sent, closes }
}

const bytes = (...values: number[]) => new Uint8Array(values).buffer

describe("the tunnel WebSocket adapter", () => {
  it("has the standard ready states and moves CONNECTING → OPEN → CLOSING → CLOSED", async () => {
    const { ws, control } = adapter()
    expect([TunnelWebSocket.CONNECTING, ws.OPEN, ws.CLOSING, TunnelWebSocket.CLOSED]).toEqual([
      0, 1, 2, 3,
    ])
    expect(ws.readyState).toBe(ws.CONNECTING)
    control.open()
    expect(ws.readyState).toBe(ws.OPEN)
    ws.close()
    expect(ws.readyState).toBe(ws.CLOSING)
    await Promise.resolve()
    expect(ws.readyState).toBe(ws.CLOSED)
  })

  it("starts open, without an open event, when restored", () => {
    const { ws } = adapter({ restored: true })
    expect(ws.readyState).toBe(ws.OPEN)
  })

  it("refuses to send before it is open, like a standard WebSocket", () => {
    const { ws } = adapter()
    expect(() => ws.send("early")).toThrow(expect.objectContaining({ name: "InvalidStateError" }))
  })

  it("sends strings as text and buffers and views as binary", () => {
    const { ws, control, sent } = adapter()
    control.open()
    ws.send("héllo")
    ws.send(bytes(1, 2))
    ws.send(new Uint16Array([0x0201]))
    ws.send(Buffer.from([7]))
    expect(sent).toEqual([
      { data: new TextEncoder().encode("héllo"), binary: false },
      { data: new Uint8Array([1, 2]), binary: true },
      { data: new Uint8Array([1, 2]), binary: true },
      { data: new Uint8Array([7]), binary: true },
    ])
  })

  it("drops sends after close instead of throwing", () => {
    const { ws, control, sent } = adapter()
    control.open()
    ws.close()
    ws.send("late")
    expect(sent).toEqual([])
  })

  it("delivers binary as Buffer by default and as ArrayBuffer with binaryType arraybuffer", () => {
    const { ws, control } = adapter()
    const received: unknown[] = []
    ws.onmessage = (event) => received.push(event.data)
    control.open()
    control.deliver(bytes(1), true)
    ws.binaryType = "arraybuffer"
    control.deliver(bytes(2), true)
    control.deliver(new TextEncoder().encode("text").buffer, false)
    expect(Buffer.isBuffer(received[0])).toBe(true)
    expect(received[1]).toBeInstanceOf(ArrayBuffer)
    expect(received[2]).toBe("text")
  })

  it("ignores a binaryType it does not support", () => {
    const { ws } = adapter()
    Reflect.set(ws, "binaryType", "blob")
    expect(ws.binaryType).toBe("nodebuffer")
  })

  it("calls on* handlers and listeners, and a replaced handler replaces the old one", () => {
    const { ws, control } = adapter()
    const calls: string[] = []
    ws.addEventListener("open", () => calls.push("listener"))
    ws.onopen = () => calls.push("first handler")
    ws.onopen = () => calls.push("second handler")
    control.open()
    ws.onopen = null
    expect(calls).toEqual(["listener", "second handler"])
    expect(ws.onopen).toBeNull()
  })

  it("fires close once with code, reason and wasClean", () => {
    const { ws, control } = adapter({ restored: true })
    const events: TunnelCloseEvent[] = []
    ws.onclose = (event) => events.push(event)
    control.closed({ code: 4000, reason: "bye", hibernating: false })
    control.closed({ code: 4001, reason: "again", hibernating: false })
    expect(events).toHaveLength(1)
    expect(events[0]).toBeInstanceOf(TunnelCloseEvent)
    expect(events[0]).toMatchObject({
      code: 4000,
      reason: "bye",
      wasClean: true,
      hibernating: false,
    })
  })

  it("fires error before close on an abnormal close", () => {
    const { ws, control } = adapter({ restored: true })
    const order: string[] = []
    ws.addEventListener("error", (event) => order.push(`error:${event.message}`))
    ws.addEventListener("close", (event) => order.push(`close:${event.wasClean}`))
    control.closed({ code: 1011, reason: "x", hibernating: false }, new Error("gone"))
    expect(order).toEqual(["error:gone", "close:false"])
  })

  it("validates close codes and reasons like a standard WebSocket", () => {
    const { ws, closes } = adapter({ restored: true })
    expect(() => ws.close(1005)).toThrow(expect.objectContaining({ name: "InvalidAccessError" }))
    expect(() => ws.close(999)).toThrow(expect.objectContaining({ name: "InvalidAccessError" }))
    expect(() => ws.close(1000, "x".repeat(124))).toThrow(
      expect.objectContaining({ name: "SyntaxError" }),
    )
    ws.close(4999, "ok")
    ws.close(1000, "twice")
    expect(closes).toEqual([{ code: 4999, reason: "ok" }])
  })

  it("reports bufferedAmount from the tunnel", () => {
    const { ws } = adapter({ buffered: 42 })
    expect(ws.bufferedAmount).toBe(42)
  })
})
