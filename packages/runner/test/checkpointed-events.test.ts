import type { latest } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { CheckpointedEventLog } from "../src/checkpointed-events.js"

const sleep = (actorId: string, generation: number): latest.Event => ({
  tag: "EventActorIntent",
  val: { actorId, generation, intent: { tag: "ActorIntentSleep", val: null } },
})

const at = (log: CheckpointedEventLog) =>
  log.unacknowledged.map(
    (e) => `${e.checkpoint.actorId}/${e.checkpoint.generation}/${e.checkpoint.index}`,
  )

describe("the v4+ event log", () => {
  it("numbers events per actor and generation from 0, and keeps them in order until acknowledged", () => {
    const log = new CheckpointedEventLog()
    log.append(sleep("a", 0))
    log.append(sleep("b", 0))
    log.append(sleep("a", 0))
    log.append(sleep("a", 1))
    log.append(sleep("a", 1))
    expect(at(log)).toEqual(["a/0/0", "b/0/0", "a/0/1", "a/1/0", "a/1/1"])
  })

  it("leaves the actor out of each event, which its checkpoint names", () => {
    const log = new CheckpointedEventLog()
    expect(log.append(sleep("a", 2))).toEqual({
      checkpoint: { actorId: "a", generation: 2, index: 0n },
      inner: { tag: "EventActorIntent", val: { intent: { tag: "ActorIntentSleep", val: null } } },
    })
    expect(
      log.append({
        tag: "EventActorStateUpdate",
        val: { actorId: "a", generation: 2, state: { tag: "ActorStateRunning", val: null } },
      }).inner,
    ).toEqual({
      tag: "EventActorStateUpdate",
      val: { state: { tag: "ActorStateRunning", val: null } },
    })
    expect(
      log.append({ tag: "EventActorSetAlarm", val: { actorId: "a", generation: 2, alarmTs: 42n } })
        .inner,
    ).toEqual({ tag: "EventActorSetAlarm", val: { alarmTs: 42n } })
  })

  it("drops an actor's events of the named generation up to and including the index", () => {
    const log = new CheckpointedEventLog()
    for (let i = 0; i < 3; i++) log.append(sleep("a", 0))
    log.append(sleep("b", 0))
    log.acknowledge({ actorId: "a", generation: 0, index: 1n })
    expect(at(log)).toEqual(["a/0/2", "b/0/0"])
  })

  it("keeps another generation's events when the acknowledgement names a generation", () => {
    const log = new CheckpointedEventLog()
    log.append(sleep("a", 0))
    log.append(sleep("a", 1))
    log.acknowledge({ actorId: "a", generation: 1, index: 0n })
    expect(at(log)).toEqual(["a/0/0"])
  })

  it("drops every generation's events up to the index when a v4 acknowledgement names none", () => {
    const log = new CheckpointedEventLog()
    log.append(sleep("a", 0))
    log.append(sleep("a", 0))
    log.append(sleep("a", 1))
    log.append(sleep("b", 0))
    log.acknowledge({ actorId: "a", generation: null, index: 0n })
    expect(at(log)).toEqual(["a/0/1", "b/0/0"])
  })
})
