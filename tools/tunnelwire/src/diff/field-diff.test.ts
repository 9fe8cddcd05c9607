// How the fields of an older and a newer struct are matched: by name, then by position for renames.
import { describe, expect, it } from "vitest"
import type { FieldDescriptor, TypeDescriptor } from "../schema/model.ts"
import { diffFields } from "./field-diff.ts"
import type { TypeRelation } from "./type-relation.ts"

const field = (name: string, kind: "u8" | "i8" | "u16" | "str" = "u8"): FieldDescriptor => ({
  name,
  type: { kind },
})

/** Same kind is `same`; u8 ↔ i8 reinterpreted; anything else changed. */
const relate = (a: TypeDescriptor, b: TypeDescriptor): TypeRelation =>
  a.kind === b.kind
    ? "same"
    : `${a.kind} ${b.kind}`.match(/^[ui]8 [ui]8$/)
      ? "reinterpreted"
      : "changed"

describe("diffing struct fields", () => {
  it("finds nothing between equal field lists", () => {
    expect(diffFields([field("a"), field("b")], [field("a"), field("b")], relate)).toEqual({
      added: [],
      removed: [],
      renamed: [],
      reordered: undefined,
      retyped: [],
    })
  })

  it("places added and removed fields at their positions", () => {
    const diff = diffFields(
      [field("a"), field("b", "str")],
      [field("a"), field("c", "u16"), field("d")],
      relate,
    )
    expect(diff.removed).toEqual([{ field: field("b", "str"), index: 1 }])
    expect(diff.added).toEqual([
      { field: field("c", "u16"), index: 1 },
      { field: field("d"), index: 2 },
    ])
    expect(diff.renamed).toEqual([])
  })

  it("renames a field at the same position whose encoding stays, with its relation", () => {
    const diff = diffFields([field("a"), field("b")], [field("a"), field("z", "i8")], relate)
    expect(diff.renamed).toEqual([
      { from: field("b"), to: field("z", "i8"), index: 1, relation: "reinterpreted" },
    ])
    expect(diff.added).toEqual([])
    expect(diff.removed).toEqual([])
  })

  it("keeps reporting the fields added and removed beside a rename", () => {
    const shrunk = diffFields(
      [field("a"), field("b"), field("c")],
      [field("a"), field("z")],
      relate,
    )
    expect(shrunk.renamed.map((r) => [r.from.name, r.to.name])).toEqual([["b", "z"]])
    expect(shrunk.removed).toEqual([{ field: field("c"), index: 2 }])
    const grown = diffFields([field("a"), field("b")], [field("a"), field("z"), field("d")], relate)
    expect(grown.renamed.map((r) => [r.from.name, r.to.name])).toEqual([["b", "z"]])
    expect(grown.added).toEqual([{ field: field("d"), index: 2 }])
  })

  it("does not rename across positions", () => {
    const diff = diffFields([field("a"), field("b")], [field("z"), field("a")], relate)
    expect(diff.renamed).toEqual([])
    expect(diff.removed).toEqual([{ field: field("b"), index: 1 }])
    expect(diff.added).toEqual([{ field: field("z"), index: 0 }])
  })

  it("reports kept fields in another order in older and in newer order", () => {
    const diff = diffFields(
      [field("a"), field("b"), field("c")],
      [field("c"), field("a"), field("x"), field("b")],
      relate,
    )
    expect(diff.reordered).toEqual({ before: ["a", "b", "c"], after: ["c", "a", "b"] })
  })

  it("retypes kept fields whose type relates as anything but same", () => {
    const diff = diffFields([field("a"), field("b")], [field("a", "i8"), field("b")], relate)
    expect(diff.retyped).toEqual([
      { name: "a", before: { kind: "u8" }, after: { kind: "i8" }, relation: "reinterpreted" },
    ])
  })
})
