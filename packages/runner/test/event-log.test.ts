import type { latest } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { EventLog } from "../src/event-log.js"

const intent = (actorId: string): latest.Event => ({
  tag: "EventActorIntent",
  val: { actorId, generation: 0, intent: { tag: "ActorIntentSleep", val: null } },
})

describe("the event log", () => {
  it("numbers events from 0 and keeps them until acknowledged", () => {
    const log = new EventLog()
    log.append(intent("a"))
    log.append(intent("b"))
    log.append(intent("c"))
    log.acknowledge(1n)
    expect(log.unacknowledged.map((e) => e.index)).toEqual([2n])
  })

  it("continues above an index the gateway already acknowledged", () => {
    const log = new EventLog()
    log.acknowledge(41n)
    expect(log.append(intent("a")).index).toBe(42n)
  })

  it("keeps numbering when an older acknowledgement arrives late", () => {
    const log = new EventLog()
    log.append(intent("a"))
    log.append(intent("b"))
    log.acknowledge(1n)
    log.acknowledge(0n)
    expect(log.append(intent("c")).index).toBe(2n)
    expect(log.unacknowledged.map((e) => e.index)).toEqual([2n])
  })
})
