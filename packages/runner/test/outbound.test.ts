import { describe, expect, it } from "vitest"
import { OutboundTunnel } from "../src/tunnel/outbound.js"

function queue(options: { maxBufferedBytes?: number; ackTimeoutMs?: number } = {}) {
  const wire: string[] = []
  const timedOut: string[] = []
  let now = 0
  const outbound = new OutboundTunnel({
    maxBufferedBytes: options.maxBufferedBytes ?? 100,
    ackTimeoutMs: options.ackTimeoutMs ?? 10,
    transmit: (frame) => {
      wire.push(new TextDecoder().decode(frame))
      return true
    },
    onAckTimeout: (request) => timedOut.push(request),
    now: () => now,
  })
  const frame = (text: string) => new TextEncoder().encode(text)
  return { outbound, wire, timedOut, frame, advance: (ms: number) => (now += ms) }
}

describe("the outbound tunnel queue", () => {
  it("holds messages while disconnected and sends them in order once connected", () => {
    const { outbound, wire, frame } = queue()
    outbound.enqueue("r1", "m1", frame("a"), 1)
    outbound.enqueue("r2", "m2", frame("b"), 1)
    expect(wire).toEqual([])
    outbound.connected()
    outbound.enqueue("r1", "m3", frame("c"), 1)
    expect(wire).toEqual(["a", "b", "c"])
  })

  it("sends every unacknowledged message again after a reconnect, acknowledged ones not", () => {
    const { outbound, wire, frame } = queue()
    outbound.connected()
    outbound.enqueue("r", "m1", frame("a"), 1)
    outbound.enqueue("r", "m2", frame("b"), 1)
    outbound.enqueue("r", "m3", frame("c"), 1)
    outbound.acknowledge("m2")
    outbound.disconnected()
    wire.length = 0
    outbound.connected()
    expect(wire).toEqual(["a", "c"])
  })

  it("refuses payload past the bound but always accepts control messages", () => {
    const { outbound, frame } = queue({ maxBufferedBytes: 5 })
    expect(outbound.enqueue("r", "m1", frame("x"), 4)).toBe(true)
    expect(outbound.enqueue("r", "m2", frame("x"), 2)).toBe(false)
    expect(outbound.enqueue("r", "m3", frame("close"), 0)).toBe(true)
    outbound.acknowledge("m1")
    expect(outbound.enqueue("r", "m4", frame("x"), 5)).toBe(true)
  })

  it("counts unacknowledged payload per request", () => {
    const { outbound, frame } = queue()
    outbound.enqueue("r1", "m1", frame("x"), 3)
    outbound.enqueue("r2", "m2", frame("x"), 4)
    outbound.enqueue("r1", "m3", frame("x"), 5)
    outbound.acknowledge("m1")
    expect([outbound.bufferedBytes("r1"), outbound.bufferedBytes("r2")]).toEqual([5, 4])
  })

  it("times out a request only for time spent on the wire", () => {
    const { outbound, timedOut, frame, advance } = queue({ ackTimeoutMs: 10 })
    outbound.enqueue("r1", "m1", frame("x"), 1)
    advance(50)
    outbound.sweep()
    expect(timedOut).toEqual([])
    outbound.connected()
    advance(10)
    outbound.sweep()
    expect(timedOut).toEqual([])
    advance(1)
    outbound.sweep()
    expect(timedOut).toEqual(["r1"])
    expect(outbound.bufferedBytes("r1")).toBe(0)
  })

  it("keeps a request alive while its acknowledgements keep coming, however long one waits", () => {
    const { outbound, timedOut, frame, advance } = queue({ ackTimeoutMs: 10 })
    outbound.connected()
    for (const key of ["m1", "m2", "m3", "m4"]) outbound.enqueue("slow", key, frame("x"), 1)
    outbound.enqueue("stuck", "s1", frame("y"), 1)
    // A gateway pacing acknowledgements to a slow client: one every 8 ms, m4 waits 32 ms.
    for (const key of ["m1", "m2", "m3", "m4"]) {
      advance(8)
      outbound.acknowledge(key)
      outbound.sweep()
    }
    expect(timedOut).toEqual(["stuck"])
    expect(outbound.bufferedBytes("slow")).toBe(0)
  })

  it("times a request out once it made no progress for the ack timeout", () => {
    const { outbound, timedOut, frame, advance } = queue({ ackTimeoutMs: 10 })
    outbound.connected()
    outbound.enqueue("r", "m1", frame("a"), 1)
    outbound.enqueue("r", "m2", frame("b"), 1)
    advance(8)
    outbound.acknowledge("m1")
    advance(10)
    outbound.sweep()
    expect(timedOut).toEqual([])
    advance(1)
    outbound.sweep()
    expect(timedOut).toEqual(["r"])
  })

  it("resolves a drain wait once acknowledgements bring a request under the mark", async () => {
    const { outbound, frame } = queue()
    outbound.connected()
    outbound.enqueue("r", "m1", frame("x"), 6)
    outbound.enqueue("r", "m2", frame("x"), 6)
    let drained = false
    const wait = outbound.drained("r", 7).then(() => {
      drained = true
    })
    outbound.enqueue("r", "m3", frame("x"), 1)
    await Promise.resolve()
    expect(drained).toBe(false)
    outbound.acknowledge("m1")
    await wait
    expect(outbound.bufferedBytes("r")).toBe(7)
  })
})
