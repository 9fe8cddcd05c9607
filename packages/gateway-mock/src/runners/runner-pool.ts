import type { Actor } from "../actors/actor.js"
import { CheckpointBook } from "./checkpoint-book.js"
import type { RunnerConnection } from "./runner-connection.js"

/** Kept per namespace and runner key across that runner's reconnections. */
export interface RunnerRecord {
  /** v1–v3: the highest event index processed, or -1 for none. */
  lastEventIdx: bigint
  /** v1–v3: the next command's index. */
  nextCommandIdx: bigint
  /** v4+: commands and events per actor generation. */
  readonly checkpoints: CheckpointBook
}

/** The runners that completed ToServerInit, one live connection per runner key. */
export class RunnerPool {
  readonly #live = new Map<string, RunnerConnection>()
  readonly #records = new Map<string, RunnerRecord>()

  /** The live connection this one replaces (to be evicted), if any. */
  add(connection: RunnerConnection): RunnerConnection | undefined {
    const older = this.#live.get(connection.poolKey)
    this.#live.set(connection.poolKey, connection)
    return older === connection ? undefined : older
  }

  remove(connection: RunnerConnection): void {
    if (this.#live.get(connection.poolKey) === connection) this.#live.delete(connection.poolKey)
  }

  record(connection: RunnerConnection): RunnerRecord {
    let record = this.#records.get(connection.poolKey)
    if (record === undefined) {
      record = { lastEventIdx: -1n, nextCommandIdx: 0n, checkpoints: new CheckpointBook() }
      this.#records.set(connection.poolKey, record)
    }
    return record
  }

  all(): RunnerConnection[] {
    return [...this.#live.values()]
  }

  /** The least loaded ready runner that may host `actor`, or null when none has a free slot. */
  pick(actor: Actor): RunnerConnection | null {
    let best: RunnerConnection | null = null
    for (const connection of this.#live.values()) {
      if (connection.state !== "ready") continue
      if (connection.params.namespace !== actor.spec.namespace) continue
      if (actor.spec.runnerName !== null && connection.name !== actor.spec.runnerName) continue
      if (connection.actorIds.size >= connection.totalSlots) continue
      if (best === null || connection.actorIds.size < best.actorIds.size) best = connection
    }
    return best
  }
}
