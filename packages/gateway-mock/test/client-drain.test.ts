import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { ClientDrain, type ClientDrainOptions } from "../src/tunnel/client-drain.js"

/** A drain over a simulated client buffer: `write` adds bytes, `flush` is the client reading. */
function drain(options: Partial<ClientDrainOptions> = {}) {
  let pending = 0
  const acked: string[] = []
  const stuck: string[] = []
  const subject = new ClientDrain({
    highWaterBytes: 10,
    maxBytes: 100,
    stallTimeoutMs: 1_000,
    pending: () => pending,
    onStuck: (why) => stuck.push(why),
    ...options,
  })
  return {
    subject,
    acked,
    stuck,
    write(name: string, bytes: number) {
      pending += bytes
      subject.wrote(bytes, () => acked.push(name))
    },
    flush(bytes: number) {
      pending -= bytes
      subject.progress()
    },
  }
}

describe("the client drain (acknowledgements paced by the client)", () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it("acknowledges at once while the client keeps up", () => {
    const d = drain()
    d.write("a", 6)
    d.write("b", 4)
    expect(d.acked).toEqual(["a", "b"])
  })

  it("holds acknowledgements past the high-water mark and releases them in order as the client reads", () => {
    const d = drain()
    d.write("a", 8)
    d.write("b", 8)
    d.write("c", 8)
    expect(d.acked).toEqual(["a"])
    d.flush(8)
    // 16 wait: b is within the mark of the client (8), c not yet (16).
    expect(d.acked).toEqual(["a", "b"])
    d.flush(8)
    expect(d.acked).toEqual(["a", "b", "c"])
    expect(d.subject.heldCount).toBe(0)
  })

  it("calls a client stuck after the stall timeout without progress, not one that reads slowly", () => {
    const d = drain()
    d.write("a", 8)
    d.write("b", 8)
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(900)
      d.flush(1)
    }
    expect(d.stuck).toEqual([])
    vi.advanceTimersByTime(1_000)
    expect(d.stuck).toEqual(["the client read nothing for 1000 ms"])
  })

  it("calls a client stuck once more than the bound waits for it", () => {
    const d = drain({ maxBytes: 20 })
    d.write("a", 15)
    d.write("b", 15)
    expect(d.stuck).toEqual(["30 bytes wait for the client, over the bound of 20"])
  })

  it("acknowledges everything held once the client is gone, and later messages at once", () => {
    const d = drain()
    d.write("a", 20)
    d.write("b", 20)
    expect(d.acked).toEqual([])
    d.subject.close()
    expect(d.acked).toEqual(["a", "b"])
    d.write("c", 20)
    expect(d.acked).toEqual(["a", "b", "c"])
    vi.advanceTimersByTime(10_000)
    expect(d.stuck).toEqual([])
  })
})
