import type { v7 } from "@tunnelwire/protocol"
import type { latest } from "@tunnelwire/protocol/pinned/v3"

/**
 * v4+: events numbered per actor generation from 0 (`v4-v7.md` §4), kept until the gateway
 * acknowledges a checkpoint at or above them, and sent again all together after a reconnect.
 * Events come in the v3 shape (they name their actor and generation) and leave in the v7 shape.
 */
export class CheckpointedEventLog {
  /** Each actor's current generation and its next event index. */
  readonly #next = new Map<string, { generation: number; index: bigint }>()
  #pending: v7.EventWrapper[] = []

  append(event: latest.Event): v7.EventWrapper {
    const { actorId, generation } = event.val
    let next = this.#next.get(actorId)
    if (next === undefined || next.generation !== generation) {
      next = { generation, index: 0n }
      this.#next.set(actorId, next)
    }
    const wrapper: v7.EventWrapper = {
      checkpoint: { actorId, generation, index: next.index },
      inner: withoutActor(event),
    }
    next.index += 1n
    this.#pending.push(wrapper)
    return wrapper
  }

  /**
   * Drops the actor's events up to `checkpoint.index`. A v4 checkpoint names no generation
   * (`generation` null): it covers the actor's events of every generation.
   */
  acknowledge(checkpoint: {
    readonly actorId: string
    readonly generation: number | null
    readonly index: bigint
  }): void {
    const { actorId, generation, index } = checkpoint
    this.#pending = this.#pending.filter(
      ({ checkpoint: event }) =>
        event.actorId !== actorId ||
        (generation !== null && event.generation !== generation) ||
        event.index > index,
    )
  }

  get unacknowledged(): readonly v7.EventWrapper[] {
    return this.#pending
  }
}

function withoutActor(event: latest.Event): v7.Event {
  switch (event.tag) {
    case "EventActorIntent":
      return { tag: event.tag, val: { intent: event.val.intent } }
    case "EventActorStateUpdate":
      return { tag: event.tag, val: { state: event.val.state } }
    case "EventActorSetAlarm":
      return { tag: event.tag, val: { alarmTs: event.val.alarmTs } }
  }
}
