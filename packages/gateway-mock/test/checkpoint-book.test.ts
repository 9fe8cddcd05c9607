import type { latest } from "@tunnelwire/protocol"
import { describe, expect, it } from "vitest"
import { CheckpointBook } from "../src/runners/checkpoint-book.js"

const stop: latest.Command = { tag: "CommandStopActor", val: null }

const indexes = (wrappers: readonly latest.CommandWrapper[]) =>
  wrappers.map((w) => `${w.checkpoint.actorId}/${w.checkpoint.generation}/${w.checkpoint.index}`)

const at = (actorId: string, generation: number, index: bigint): latest.ActorCheckpoint => ({
  actorId,
  generation,
  index,
})

describe("the second family's command book", () => {
  it("numbers each actor's commands from 0 and keeps them until acknowledged", () => {
    const book = new CheckpointBook()
    const first = book.command("a", 0, stop)
    expect(first).toEqual({ checkpoint: at("a", 0, 0n), inner: stop })
    book.command("a", 0, stop)
    book.command("b", 0, stop)
    book.command("a", 0, stop)
    expect(indexes(book.unacknowledged(["a", "b"]))).toEqual(["a/0/0", "a/0/1", "a/0/2", "b/0/0"])
    expect(indexes(book.unacknowledged(["b"]))).toEqual(["b/0/0"])
    expect(book.unacknowledged(["nobody"])).toEqual([])
  })

  it("starts a new generation from 0 and drops what the old one left unacknowledged", () => {
    const book = new CheckpointBook()
    book.command("a", 0, stop)
    book.command("a", 0, stop)
    expect(book.command("a", 1, stop).checkpoint).toEqual(at("a", 1, 0n))
    expect(indexes(book.unacknowledged(["a"]))).toEqual(["a/1/0"])
  })

  it("drops commands up to and including the acknowledged index, for that actor only", () => {
    const book = new CheckpointBook()
    for (let i = 0; i < 4; i++) book.command("a", 0, stop)
    book.command("b", 0, stop)
    book.acknowledgeCommands([at("a", 0, 1n), at("nobody", 0, 9n)], true)
    expect(indexes(book.unacknowledged(["a", "b"]))).toEqual(["a/0/2", "a/0/3", "b/0/0"])
    book.acknowledgeCommands([at("a", 0, 3n)], true)
    expect(indexes(book.unacknowledged(["a", "b"]))).toEqual(["b/0/0"])
  })

  it("ignores an acknowledgement naming another generation, unless the version names none", () => {
    const book = new CheckpointBook()
    book.command("a", 2, stop)
    book.command("a", 2, stop)
    book.acknowledgeCommands([at("a", 1, 5n)], true)
    expect(indexes(book.unacknowledged(["a"]))).toEqual(["a/2/0", "a/2/1"])
    // v4's acknowledgement carries no generation: it counts for the actor's current one.
    book.acknowledgeCommands([at("a", 0, 0n)], false)
    expect(indexes(book.unacknowledged(["a"]))).toEqual(["a/2/1"])
  })

  it("forgets an actor's commands and events", () => {
    const book = new CheckpointBook()
    book.command("a", 0, stop)
    book.acceptEvent(at("a", 0, 4n))
    book.forget("a")
    expect(book.unacknowledged(["a"])).toEqual([])
    expect(book.eventCheckpoint("a")).toBeNull()
    expect(book.acceptEvent(at("a", 0, 0n))).toBe(true)
  })
})

describe("the second family's event checkpoints", () => {
  it("accepts an actor's events once each, in its current generation, above the last index", () => {
    const book = new CheckpointBook()
    expect(book.eventCheckpoint("a")).toBeNull()
    expect(book.acceptEvent(at("a", 0, 0n))).toBe(true)
    expect(book.acceptEvent(at("a", 0, 0n))).toBe(false)
    expect(book.acceptEvent(at("a", 0, 2n))).toBe(true)
    expect(book.acceptEvent(at("a", 0, 1n))).toBe(false)
    expect(book.acceptEvent(at("a", 0, 2n))).toBe(false)
    expect(book.eventCheckpoint("a")).toEqual(at("a", 0, 2n))
    // Each actor counts apart.
    expect(book.acceptEvent(at("b", 0, 0n))).toBe(true)
    expect(book.eventCheckpoint("a")).toEqual(at("a", 0, 2n))
  })

  it("takes a newer generation from any index and refuses an older one", () => {
    const book = new CheckpointBook()
    book.acceptEvent(at("a", 1, 5n))
    expect(book.acceptEvent(at("a", 0, 9n))).toBe(false)
    expect(book.eventCheckpoint("a")).toEqual(at("a", 1, 5n))
    expect(book.acceptEvent(at("a", 2, 0n))).toBe(true)
    expect(book.eventCheckpoint("a")).toEqual(at("a", 2, 0n))
    expect(book.acceptEvent(at("a", 1, 9n))).toBe(false)
    expect(book.acceptEvent(at("a", 2, 1n))).toBe(true)
  })
})
