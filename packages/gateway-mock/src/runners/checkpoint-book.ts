import type { latest } from "@tunnelwire/protocol"

interface ActorCommands {
  readonly generation: number
  nextIndex: bigint
  /** Sent and not yet acknowledged by the runner, in index order. */
  unacked: latest.CommandWrapper[]
}

/**
 * Second-family (v4+) bookkeeping of one runner key: commands and events are numbered per actor
 * and generation, from 0. Commands stay stored until the runner acknowledges them with
 * `ToServerAckCommands` and are replayed after every reconnect; an event counts once, only for the
 * actor's current generation and above the last index seen (replays are harmless).
 */
export class CheckpointBook {
  readonly #commands = new Map<string, ActorCommands>()
  readonly #lastEvent = new Map<string, { generation: number; index: bigint }>()

  /** Numbers a command for `actorId` in `generation` and stores it until acknowledged. */
  command(actorId: string, generation: number, inner: latest.Command): latest.CommandWrapper {
    let commands = this.#commands.get(actorId)
    // A new generation starts from 0; what the old one left unacknowledged is moot.
    if (commands === undefined || commands.generation !== generation) {
      commands = { generation, nextIndex: 0n, unacked: [] }
      this.#commands.set(actorId, commands)
    }
    const wrapper = { checkpoint: { actorId, generation, index: commands.nextIndex++ }, inner }
    commands.unacked.push(wrapper)
    return wrapper
  }

  /**
   * Drops stored commands up to each checkpoint's index, for that actor and generation (`null`:
   * the actor's current one, all a v4 acknowledgement can name).
   */
  acknowledgeCommands(
    checkpoints: readonly latest.ActorCheckpoint[],
    generationNamed: boolean,
  ): void {
    for (const { actorId, generation, index } of checkpoints) {
      const commands = this.#commands.get(actorId)
      if (commands === undefined) continue
      if (generationNamed && commands.generation !== generation) continue
      commands.unacked = commands.unacked.filter((wrapper) => wrapper.checkpoint.index > index)
    }
  }

  /** Every unacknowledged command of the actors in `actorIds`, for a replay. */
  unacknowledged(actorIds: Iterable<string>): latest.CommandWrapper[] {
    return [...actorIds].flatMap((actorId) => this.#commands.get(actorId)?.unacked ?? [])
  }

  /** Forgets an actor that is no longer on this runner key. */
  forget(actorId: string): void {
    this.#commands.delete(actorId)
    this.#lastEvent.delete(actorId)
  }

  /**
   * Whether an event at `checkpoint` is new: not of an older generation than the last one seen for
   * its actor, and in the same generation above the last index. Records it when it is.
   */
  acceptEvent(checkpoint: latest.ActorCheckpoint): boolean {
    const last = this.#lastEvent.get(checkpoint.actorId)
    if (last !== undefined) {
      if (checkpoint.generation < last.generation) return false
      if (checkpoint.generation === last.generation && checkpoint.index <= last.index) return false
    }
    this.#lastEvent.set(checkpoint.actorId, {
      generation: checkpoint.generation,
      index: checkpoint.index,
    })
    return true
  }

  /** The last event index seen for `actorId`, as the checkpoint acknowledging it. */
  eventCheckpoint(actorId: string): latest.ActorCheckpoint | null {
    const last = this.#lastEvent.get(actorId)
    return last === undefined ? null : { actorId, ...last }
  }
}
