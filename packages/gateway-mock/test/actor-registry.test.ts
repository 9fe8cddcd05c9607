import { describe, expect, it } from "vitest"
import type { ActorSpec } from "../src/actors/actor.js"
import { ActorRegistry, DuplicateActorError } from "../src/actors/actor-registry.js"
import { Tap } from "../src/tap/tap.js"
import type { TapEvent } from "../src/tap/tap-event.js"

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function registry() {
  const tap = new Tap(0)
  const events: TapEvent[] = []
  tap.subscribe((event) => events.push(event))
  return { actors: new ActorRegistry({ tap, pickRunner: () => null }), events }
}

const spec = (name: string, key: string | null, namespace = "default"): ActorSpec => ({
  name,
  key,
  namespace,
  runnerName: null,
  input: null,
})

describe("the actor registry", () => {
  it("creates actors under fresh UUIDs, found by id, and reports each creation on the tap", () => {
    const { actors, events } = registry()
    const a = actors.create(spec("chat", "room-1"))
    const b = actors.create(spec("chat", null))
    expect(a.id).toMatch(UUID_V4)
    expect(b.id).not.toBe(a.id)
    expect(actors.get(a.id)).toBe(a)
    expect(actors.get("nobody")).toBeUndefined()
    expect(actors.all()).toEqual([a, b])
    expect(events).toMatchObject([
      {
        type: "actor",
        event: "created",
        actorId: a.id,
        name: "chat",
        key: "room-1",
        generation: 0,
        runnerId: null,
      },
      { type: "actor", event: "created", actorId: b.id, key: null },
    ])
  })

  it("refuses a second actor with the same name and key in a namespace, and only then", () => {
    const { actors, events } = registry()
    actors.create(spec("chat", "room-1"))
    expect(() => actors.create(spec("chat", "room-1"))).toThrow(
      new DuplicateActorError("an actor named chat with key room-1 exists in default"),
    )
    expect(() => actors.create(spec("chat", "room-1"))).toThrow(DuplicateActorError)
    const error = (() => {
      try {
        actors.create(spec("chat", "room-1"))
      } catch (thrown) {
        return thrown as Error
      }
    })()
    expect(error?.name).toBe("DuplicateActorError")
    expect(events).toHaveLength(1)
    // Another key, another name, another namespace, or no key at all: each is a new actor.
    actors.create(spec("chat", "room-2"))
    actors.create(spec("game", "room-1"))
    actors.create(spec("chat", "room-1", "other"))
    actors.create(spec("chat", null))
    actors.create(spec("chat", null))
    expect(actors.all()).toHaveLength(6)
  })

  it("lists actors by namespace, name and key, each filter narrowing", () => {
    const { actors } = registry()
    const a = actors.create(spec("chat", "1"))
    const b = actors.create(spec("chat", "2"))
    const c = actors.create(spec("game", "1"))
    const d = actors.create(spec("chat", "1", "other"))
    expect(actors.list()).toEqual([a, b, c, d])
    expect(actors.list({ namespace: "default" })).toEqual([a, b, c])
    expect(actors.list({ name: "chat" })).toEqual([a, b, d])
    expect(actors.list({ key: "1" })).toEqual([a, c, d])
    expect(actors.list({ namespace: "default", name: "chat", key: "1" })).toEqual([a])
    expect(actors.list({ name: "nobody" })).toEqual([])
  })

  it("destroys an actor: it is gone from the registry and its name and key are free again", () => {
    const { actors, events } = registry()
    const a = actors.create(spec("chat", "room-1"))
    actors.destroy(a)
    expect(a.destroyed).toBe(true)
    expect(actors.get(a.id)).toBeUndefined()
    expect(actors.all()).toEqual([])
    expect(events.map((e) => (e.type === "actor" ? e.event : e.type))).toEqual([
      "created",
      "destroyed",
    ])
    expect(actors.create(spec("chat", "room-1")).id).not.toBe(a.id)
  })
})
