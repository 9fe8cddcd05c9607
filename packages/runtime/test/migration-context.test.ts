// What a converter's context does with a loss under each policy, and the helpers converters
// map optionals, lists and maps with.
import { describe, expect, it } from "vitest"
import { TunnelwireError } from "../src/errors.js"
import {
  DowngradeError,
  type Loss,
  MessageDropped,
  mapEntries,
  mapList,
  mapOptional,
  migrationContext,
  upgradeContext,
} from "../src/migration-context.js"

const colorLoss = { type: "Note", field: "color", reason: "v1 has no colors" }

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error("expected a throw")
}

describe("a migration context", () => {
  it("says which step it converts", () => {
    const context = migrationContext(3, 2)
    expect(context.from).toBe(3)
    expect(context.to).toBe(2)
  })

  it("refuses a lost field by default, naming the type, the field, the version and the reason", () => {
    const error = thrown(() => migrationContext(2, 1).loss(colorLoss))
    expect(error).toBeInstanceOf(DowngradeError)
    expect(error).toBeInstanceOf(TunnelwireError)
    expect(error).toMatchObject({
      name: "DowngradeError",
      message: "cannot downgrade Note.color to v1: v1 has no colors",
      type: "Note",
      field: "color",
      targetVersion: 1,
      reason: "v1 has no colors",
    })
  })

  it("under refuse, reports nothing to onLoss: the refusal is the report", () => {
    const losses: Loss[] = []
    const context = migrationContext(2, 1, { lossy: "refuse", onLoss: (l) => losses.push(l) })
    expect(() => context.loss(colorLoss)).toThrow(DowngradeError)
    expect(() => context.unrepresentable({ type: "Event", member: "Moved" })).toThrow(
      DowngradeError,
    )
    expect(losses).toEqual([])
  })

  it("under drop, reports a lost field to onLoss and goes on", () => {
    const losses: Loss[] = []
    const context = migrationContext(2, 1, { lossy: "drop", onLoss: (l) => losses.push(l) })
    expect(context.loss(colorLoss)).toBeUndefined()
    expect(losses).toEqual([
      {
        type: "Note",
        field: "color",
        reason: "v1 has no colors",
        targetVersion: 1,
        dropsMessage: false,
      },
    ])
  })

  it("under drop without onLoss, drops the field silently", () => {
    expect(migrationContext(2, 1, { lossy: "drop" }).loss(colorLoss)).toBeUndefined()
  })

  it("refuses a union member the target lacks by default, saying the version has no such member", () => {
    const error = thrown(() =>
      migrationContext(4, 3).unrepresentable({ type: "Event", member: "Moved" }),
    )
    expect(error).toBeInstanceOf(DowngradeError)
    expect(error).toMatchObject({
      message: "cannot downgrade Event.Moved to v3: v3 has no Moved member in Event",
      type: "Event",
      field: "Moved",
      targetVersion: 3,
      reason: "v3 has no Moved member in Event",
    })
  })

  it("under drop, reports a member the target lacks as dropping the message, then drops it", () => {
    const losses: Loss[] = []
    const context = migrationContext(4, 3, { lossy: "drop", onLoss: (l) => losses.push(l) })
    const error = thrown(() => context.unrepresentable({ type: "Event", member: "Moved" }))
    const loss: Loss = {
      type: "Event",
      field: "Moved",
      reason: "v3 has no Moved member in Event",
      targetVersion: 3,
      dropsMessage: true,
    }
    expect(losses).toEqual([loss])
    expect(error).toBeInstanceOf(MessageDropped)
    expect(error).not.toBeInstanceOf(TunnelwireError)
    expect(error).toMatchObject({
      name: "MessageDropped",
      message: "message dropped: Event.Moved has no v3 counterpart",
      loss,
    })
  })

  it("under drop without onLoss, still drops the message", () => {
    const context = migrationContext(4, 3, { lossy: "drop" })
    expect(() => context.unrepresentable({ type: "Event", member: "Moved" })).toThrow(
      MessageDropped,
    )
  })
})

describe("an upgrade context", () => {
  it("says which step it converts and refuses any loss, so a converter bug is loud", () => {
    const context = upgradeContext(1, 2)
    expect(context.from).toBe(1)
    expect(context.to).toBe(2)
    expect(() => context.loss(colorLoss)).toThrow(
      new DowngradeError({ ...colorLoss, targetVersion: 2, dropsMessage: false }),
    )
    expect(() => context.unrepresentable({ type: "Event", member: "Moved" })).toThrow(
      DowngradeError,
    )
  })
})

describe("the converters' helpers", () => {
  it("mapOptional keeps null and converts anything else, falsy values included", () => {
    const seen: unknown[] = []
    const double = (n: number) => {
      seen.push(n)
      return n * 2
    }
    expect(mapOptional(null, double)).toBeNull()
    expect(seen).toEqual([])
    expect(mapOptional(0, double)).toBe(0)
    expect(mapOptional(21, double)).toBe(42)
    expect(seen).toEqual([0, 21])
  })

  it("mapList converts every item in order into a new array", () => {
    const items = [1, 2, 3]
    const out = mapList(items, (n) => `#${n}`)
    expect(out).toEqual(["#1", "#2", "#3"])
    expect(items).toEqual([1, 2, 3])
  })

  it("mapEntries converts keys and values into a new map, keeping the order", () => {
    const map = new Map([
      ["b", 2],
      ["a", 1],
    ])
    const out = mapEntries(
      map,
      (key) => key.toUpperCase(),
      (value) => value * 10,
    )
    expect([...out]).toEqual([
      ["B", 20],
      ["A", 10],
    ])
    expect(out).not.toBe(map)
    expect([...map]).toEqual([
      ["b", 2],
      ["a", 1],
    ])
  })
})
