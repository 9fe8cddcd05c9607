import { describe, expect, it } from "vitest"
import { SocketOutbox } from "../src/tunnel/socket-outbox.js"

const payload = (size: number) => new ArrayBuffer(size)

function holding(count: number): SocketOutbox {
  const outbox = new SocketOutbox({ maxMessages: 100, maxBytes: 1000 })
  for (let i = 0; i < count; i++) outbox.push(payload(i + 1), true)
  return outbox
}

/** Takes `count` entries from the outbox, leaving the rest unsent. */
function take(outbox: SocketOutbox, count: number): number[] {
  const taken: number[] = []
  const unsent = outbox.takeUnsent()
  for (let i = 0; i < count; i++) taken.push(unsent.next().value!.index)
  return taken
}

describe("the socket outbox's counters", () => {
  it("counts as unsent what the current runner has not been handed yet", () => {
    const outbox = holding(3)
    expect(take(outbox, 1)).toEqual([0])
    expect({
      size: outbox.size,
      unsent: outbox.unsentCount,
      neverSent: outbox.neverSentCount,
    }).toEqual({
      size: 3,
      unsent: 2,
      neverSent: 2,
    })
  })

  it("remembers what some runner saw before a rewind while the next runner is handed less", () => {
    const outbox = holding(2)
    take(outbox, 2)
    outbox.rewind()
    outbox.push(payload(1), true)
    expect(take(outbox, 1)).toEqual([0])
    // Index 1 was seen by the runner before the rewind: only index 2 is new to every runner.
    expect({ unsent: outbox.unsentCount, neverSent: outbox.neverSentCount }).toEqual({
      unsent: 2,
      neverSent: 1,
    })
  })

  it("forgets the sent entries of a socket that cannot hibernate and keeps the unsent ones", () => {
    const outbox = holding(3)
    take(outbox, 2)
    outbox.forgetSent()
    expect({ size: outbox.size, bytes: outbox.bytes, unsent: outbox.unsentCount }).toEqual({
      size: 1,
      bytes: 3,
      unsent: 1,
    })
    expect([...outbox.takeUnsent()].map((entry) => entry.index)).toEqual([2])
    outbox.forgetSent()
    expect({ size: outbox.size, bytes: outbox.bytes }).toEqual({ size: 0, bytes: 0 })
  })
})
