import { randomUUID } from "node:crypto"
import { Actor, type ActorHost, type ActorSpec } from "./actor.js"

export interface ActorFilter {
  readonly namespace?: string
  readonly name?: string
  readonly key?: string
}

export class DuplicateActorError extends Error {
  override name = "DuplicateActorError"
}

/** Every actor the gateway knows, by id; name and key identify one within a namespace. */
export class ActorRegistry {
  readonly #actors = new Map<string, Actor>()
  readonly #host: ActorHost

  constructor(host: ActorHost) {
    this.#host = host
  }

  create(spec: ActorSpec): Actor {
    const { namespace, name, key } = spec
    if (key !== null && this.list({ namespace, name, key }).length > 0) {
      throw new DuplicateActorError(
        `an actor named ${spec.name} with key ${spec.key} exists in ${spec.namespace}`,
      )
    }
    const actor = new Actor(randomUUID(), spec, this.#host)
    this.#actors.set(actor.id, actor)
    this.#host.tap.emit(() => ({
      type: "actor",
      event: "created",
      actorId: actor.id,
      name: spec.name,
      key: spec.key,
      generation: 0,
      runnerId: null,
    }))
    return actor
  }

  get(id: string): Actor | undefined {
    return this.#actors.get(id)
  }

  list(filter: ActorFilter = {}): Actor[] {
    return [...this.#actors.values()].filter(
      (actor) =>
        (filter.namespace === undefined || actor.spec.namespace === filter.namespace) &&
        (filter.name === undefined || actor.spec.name === filter.name) &&
        (filter.key === undefined || actor.spec.key === filter.key),
    )
  }

  destroy(actor: Actor): void {
    actor.destroy()
    this.#actors.delete(actor.id)
  }

  all(): Actor[] {
    return [...this.#actors.values()]
  }
}
