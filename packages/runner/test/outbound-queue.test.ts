import { describe, expect, it } from "vitest"
import { OutboundTunnel } from "../src/tunnel/outbound.js"

/** An outbound queue over a fake connection that records what goes on the wire and refuses when told. */
function queue(options: { deliveredOnSend?: boolean; maxBufferedBytes?: number } = {}) {
  const wire: string[] = []
  let refuse = false
  let now = 0
  const timedOut: string[] = []
  const outbound = new OutboundTunnel({
    maxBufferedBytes: options.maxBufferedBytes ?? 100,
    ackTimeoutMs: 10,
    deliveredOnSend: options.deliveredOnSend,
    transmit: (frame) => {
      if (refuse) return false
      wire.push(new TextDecoder().decode(frame))
      return true
    },
    onAckTimeout: (request) => timedOut.push(request),
    now: () => now,
  })
  const frame = (text: string) => new TextEncoder().encode(text)
  return {
    outbound,
    wire,
    timedOut,
    frame,
    advance: (ms: number) => {
      now += ms
    },
    refuse: (value: boolean) => {
      refuse = value
    },
  }
}

const settledNow = async (promise: Promise<void>) => {
  let settled = false
  void promise.then(() => {
    settled = true
  })
  await Promise.resolve()
  await Promise.resolve()
  return settled
}

describe("the outbound tunnel queue without acknowledgements (v4+)", () => {
  it("sends at once while connected and holds nothing", () => {
    const t = queue({ deliveredOnSend: true })
    t.outbound.connected()
    expect(t.outbound.enqueue("r", "m1", t.frame("a"), 5)).toBe(true)
    expect(t.wire).toEqual(["a"])
    expect(t.outbound.bufferedBytes("r")).toBe(0)
    t.outbound.disconnected()
    t.outbound.connected()
    expect(t.wire).toEqual(["a"])
  })

  it("holds what waits for a connection, sends it once connected, and then forgets it", () => {
    const t = queue({ deliveredOnSend: true })
    t.outbound.enqueue("r", "m1", t.frame("a"), 5)
    expect(t.wire).toEqual([])
    expect(t.outbound.bufferedBytes("r")).toBe(5)
    t.outbound.connected()
    expect(t.wire).toEqual(["a"])
    expect(t.outbound.bufferedBytes("r")).toBe(0)
    t.outbound.disconnected()
    t.outbound.connected()
    expect(t.wire).toEqual(["a"])
  })

  it("holds a message the connection refused and sends it again after a reconnect", () => {
    const t = queue({ deliveredOnSend: true })
    t.outbound.connected()
    t.refuse(true)
    t.outbound.enqueue("r", "m1", t.frame("a"), 5)
    expect(t.outbound.bufferedBytes("r")).toBe(5)
    t.refuse(false)
    t.outbound.disconnected()
    t.outbound.connected()
    expect(t.wire).toEqual(["a"])
    expect(t.outbound.bufferedBytes("r")).toBe(0)
  })
})

describe("the outbound tunnel queue", () => {
  it("puts nothing on the wire after a disconnect, and does not count time off the wire", () => {
    const t = queue()
    t.outbound.connected()
    t.outbound.enqueue("r", "m1", t.frame("a"), 1)
    t.outbound.disconnected()
    t.outbound.enqueue("r", "m2", t.frame("b"), 1)
    expect(t.wire).toEqual(["a"])
    t.advance(100)
    t.outbound.sweep()
    expect(t.timedOut).toEqual([])
  })

  it("ignores an acknowledgement of a message it does not hold, or a second one", () => {
    const t = queue()
    t.outbound.connected()
    t.outbound.enqueue("r", "m1", t.frame("a"), 3)
    t.outbound.acknowledge("m1")
    expect(() => t.outbound.acknowledge("m1")).not.toThrow()
    expect(() => t.outbound.acknowledge("unknown")).not.toThrow()
    expect(t.outbound.bufferedBytes("r")).toBe(0)
  })

  it("frees a discarded request's bytes for other requests, and ignores an unknown one", () => {
    const t = queue({ maxBufferedBytes: 5 })
    t.outbound.enqueue("r1", "m1", t.frame("a"), 4)
    expect(t.outbound.enqueue("r2", "m2", t.frame("b"), 5)).toBe(false)
    t.outbound.discard("r1")
    expect(() => t.outbound.discard("unknown")).not.toThrow()
    expect(t.outbound.bufferedBytes("r1")).toBe(0)
    expect(t.outbound.enqueue("r2", "m2", t.frame("b"), 5)).toBe(true)
    t.outbound.connected()
    expect(t.wire).toEqual(["b"])
  })

  it("clears every request: nothing is sent after the next connect and all bytes are free", () => {
    const t = queue({ maxBufferedBytes: 5 })
    t.outbound.enqueue("r1", "m1", t.frame("a"), 2)
    t.outbound.enqueue("r2", "m2", t.frame("b"), 3)
    t.outbound.clear()
    t.outbound.connected()
    expect(t.wire).toEqual([])
    expect(t.outbound.enqueue("r3", "m3", t.frame("c"), 5)).toBe(true)
  })
})

describe("waiting for a request to drain", () => {
  it("resolves at once when the request holds at most the mark", async () => {
    const t = queue()
    expect(await settledNow(t.outbound.drained("r", 0))).toBe(true)
    t.outbound.enqueue("r", "m1", t.frame("a"), 5)
    expect(await settledNow(t.outbound.drained("r", 5))).toBe(true)
    expect(await settledNow(t.outbound.drained("r", 4))).toBe(false)
  })

  it("wakes each waiter once the held bytes reach its mark, keeping those still above it", async () => {
    const t = queue()
    t.outbound.connected()
    for (const key of ["m1", "m2", "m3"]) t.outbound.enqueue("r", key, t.frame("x"), 4)
    t.outbound.enqueue("other", "o1", t.frame("y"), 4)
    const woken: number[] = []
    for (const mark of [0, 4, 8]) void t.outbound.drained("r", mark).then(() => woken.push(mark))
    const flush = async () => {
      for (let i = 0; i < 3; i++) await Promise.resolve()
    }
    t.outbound.acknowledge("o1")
    await flush()
    expect(woken).toEqual([])
    t.outbound.acknowledge("m1")
    await flush()
    expect(woken).toEqual([8])
    t.outbound.acknowledge("m2")
    await flush()
    expect(woken).toEqual([8, 4])
    t.outbound.acknowledge("m3")
    await flush()
    expect(woken).toEqual([8, 4, 0])
  })

  it("wakes waiters of a discarded request", async () => {
    const t = queue()
    t.outbound.enqueue("r", "m1", t.frame("x"), 4)
    const wait = t.outbound.drained("r", 0)
    t.outbound.discard("r")
    expect(await settledNow(wait)).toBe(true)
  })

  it("does not wake a waiter when bytes are added", async () => {
    const t = queue()
    t.outbound.enqueue("r", "m1", t.frame("x"), 4)
    const wait = t.outbound.drained("r", 3)
    t.outbound.enqueue("r", "m2", t.frame("x"), 4)
    expect(await settledNow(wait)).toBe(false)
  })
})
