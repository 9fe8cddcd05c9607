import { describe, expect, it } from "vitest"
import { isOverdue } from "../src/ack-age.js"
import { SocketOutbox } from "../src/tunnel/socket-outbox.js"

const payload = (size: number) => new ArrayBuffer(size)

describe("the socket outbox", () => {
  it("shrinks its pending counters on every acknowledgement", () => {
    const outbox = new SocketOutbox({ maxMessages: 10, maxBytes: 1000 })
    for (let i = 0; i < 5; i++) outbox.push(payload(10), true)
    expect([...outbox.takeUnsent()].map((e) => e.index)).toEqual([0, 1, 2, 3, 4])
    outbox.acknowledge(2)
    expect({ size: outbox.size, bytes: outbox.bytes }).toEqual({ size: 2, bytes: 20 })
    outbox.acknowledge(4)
    expect({ size: outbox.size, bytes: outbox.bytes }).toEqual({ size: 0, bytes: 0 })
  })

  it("refuses a message past either bound, and takes one again after an ack", () => {
    const outbox = new SocketOutbox({ maxMessages: 3, maxBytes: 25 })
    expect(outbox.push(payload(10), true)).not.toBeNull()
    expect(outbox.push(payload(10), true)).not.toBeNull()
    expect(outbox.push(payload(10), true)).toBeNull()
    expect(outbox.push(payload(5), true)).not.toBeNull()
    expect(outbox.push(payload(0), true)).toBeNull()
    ;[...outbox.takeUnsent()]
    outbox.acknowledge(0)
    expect(outbox.push(payload(10), true)?.index).toBe(3)
  })

  it("replays everything unacknowledged after a rewind, with the indexes it had", () => {
    const outbox = new SocketOutbox({ maxMessages: 10, maxBytes: 1000 })
    for (let i = 0; i < 4; i++) outbox.push(payload(1), true)
    ;[...outbox.takeUnsent()]
    outbox.acknowledge(1)
    outbox.rewind()
    outbox.push(payload(1), true)
    expect([...outbox.takeUnsent()].map((e) => e.index)).toEqual([2, 3, 4])
  })

  it("acknowledges across the u16 wrap", () => {
    const outbox = new SocketOutbox({ maxMessages: 70_000, maxBytes: 1e9 })
    const sendAndAck = (count: number, ackIndex: number) => {
      for (let i = 0; i < count; i++) outbox.push(payload(0), true)
      ;[...outbox.takeUnsent()]
      outbox.acknowledge(ackIndex)
    }
    sendAndAck(30_000, 29_999)
    sendAndAck(30_000, 59_999)
    sendAndAck(5_530, 65_529)
    expect(outbox.size).toBe(0)
    for (let i = 0; i < 10; i++) outbox.push(payload(0), true)
    expect([...outbox.takeUnsent()].map((e) => e.index)).toEqual([
      65_530, 65_531, 65_532, 65_533, 65_534, 65_535, 0, 1, 2, 3,
    ])
    outbox.acknowledge(0)
    expect(outbox.size).toBe(3)
    outbox.acknowledge(3)
    expect(outbox.size).toBe(0)
  })

  it("ignores an acknowledgement of a message not sent yet", () => {
    const outbox = new SocketOutbox({ maxMessages: 10, maxBytes: 1000 })
    outbox.push(payload(1), true)
    outbox.acknowledge(0)
    expect(outbox.size).toBe(1)
  })
})

describe("ack ages", () => {
  it("are overdue only once older than the timeout", () => {
    expect(isOverdue(1_000, 1_500, 1_000)).toBe(false)
    expect(isOverdue(1_000, 2_000, 1_000)).toBe(false)
    expect(isOverdue(1_000, 2_001, 1_000)).toBe(true)
  })
})

describe("messages that wake an actor", () => {
  it("are those no runner has seen, not those sent and unacknowledged before a sleep", () => {
    const outbox = new SocketOutbox({ maxMessages: 10, maxBytes: 1000 })
    outbox.push(payload(1), true)
    ;[...outbox.takeUnsent()]
    outbox.rewind()
    expect({ unsent: outbox.unsentCount, neverSent: outbox.neverSentCount }).toEqual({
      unsent: 1,
      neverSent: 0,
    })
    outbox.push(payload(1), true)
    expect(outbox.neverSentCount).toBe(1)
    ;[...outbox.takeUnsent()]
    outbox.acknowledge(1)
    expect({ size: outbox.size, neverSent: outbox.neverSentCount }).toEqual({
      size: 0,
      neverSent: 0,
    })
  })
})

describe("a runner lost without acknowledging", () => {
  it("leaves every held message counted as never sent, so they wake the actor", () => {
    const outbox = new SocketOutbox({ maxMessages: 10, maxBytes: 1000 })
    outbox.push(payload(1), true)
    outbox.push(payload(1), true)
    ;[...outbox.takeUnsent()]
    outbox.acknowledge(0)
    outbox.forgetDelivery()
    expect({
      size: outbox.size,
      unsent: outbox.unsentCount,
      neverSent: outbox.neverSentCount,
    }).toEqual({ size: 1, unsent: 1, neverSent: 1 })
    expect([...outbox.takeUnsent()].map((entry) => entry.index)).toEqual([1])
  })
})
