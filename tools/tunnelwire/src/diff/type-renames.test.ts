// Which named types were only renamed, and how an older type reads with those renames applied.

import { typeText } from "@tunnelwire/runtime"
import { describe, expect, it } from "vitest"
import { parseSchema } from "../schema/parse-schema.ts"
import { findRenamedTypes, withRenames } from "./type-renames.ts"

const renames = (older: string, newer: string) =>
  findRenamedTypes(
    parseSchema(older, "old.bare", 1).descriptor,
    parseSchema(newer, "new.bare", 2).descriptor,
  )

describe("finding renamed types", () => {
  it("matches a type only the older version has to the one of the same shape only the newer has", () => {
    expect(renames("type A u8\ntype N str\n", "type A u8\ntype M str\n")).toEqual(
      new Map([["N", "M"]]),
    )
  })

  it("matches nothing when the shapes differ", () => {
    expect(renames("type N str\n", "type M data\n")).toEqual(new Map())
  })

  it("matches nothing when two added types have the removed one's shape", () => {
    expect(renames("type N str\n", "type M str\ntype K str\n")).toEqual(new Map())
  })

  it("matches nothing when two removed types have the added one's shape", () => {
    expect(renames("type N str\ntype O str\n", "type M str\n")).toEqual(new Map())
  })

  it("never matches void types on shape alone", () => {
    expect(
      renames("type U union { N }\ntype N void\n", "type U union { M }\ntype M void\n"),
    ).toEqual(new Map())
  })

  it("follows one rename to the next: a type referring to a renamed type is renamed too", () => {
    expect(
      renames("type A struct { n: N }\ntype N u8\n", "type B struct { n: M }\ntype M u8\n"),
    ).toEqual(
      new Map([
        ["N", "M"],
        ["A", "B"],
      ]),
    )
  })

  it("keeps a type that is in both versions out of any rename", () => {
    expect(renames("type N str\n", "type N str\ntype M str\n")).toEqual(new Map())
  })
})

describe("an older type with the renames applied", () => {
  const apply = (source: string) =>
    typeText(
      withRenames(
        parseSchema(`type T ${source}\ntype N u8\n`, "old.bare", 1).descriptor.types.T!,
        new Map([["N", "M"]]),
      ),
    )

  it.each([
    ["N", "M"],
    ["optional<N>", "optional<M>"],
    ["list<N>[2]", "list<M>[2]"],
    ["map<N><N>", "map<M><M>"],
    ["struct { a: N b: u8 }", "struct { a: M, b: u8 }"],
    ["data[4]", "data[4]"],
  ])("%s reads as %s", (older, renamed) => {
    expect(apply(older)).toBe(renamed)
  })

  it("renames union members that name a renamed type, and keeps the others and their tags", () => {
    const union = parseSchema("type U union { N | A = 4 }\ntype N u8\ntype A str\n", "old.bare", 1)
      .descriptor.types.U!
    expect(withRenames(union, new Map([["N", "M"]]))).toEqual({
      kind: "union",
      members: [
        { tag: 0, name: "M", type: { kind: "ref", name: "M" } },
        { tag: 4, name: "A", type: { kind: "ref", name: "A" } },
      ],
    })
  })

  it("gives back the type itself when nothing was renamed", () => {
    const type = { kind: "ref", name: "N" } as const
    expect(withRenames(type, new Map())).toBe(type)
  })
})

describe("a type as a schema writes it", () => {
  it.each([
    ["u8", "u8"],
    ["data", "data"],
    ["data[16]", "data[16]"],
    ["optional<str>", "optional<str>"],
    ["list<u8>", "list<u8>"],
    ["list<u8>[3]", "list<u8>[3]"],
    ["map<str><u8>", "map<str><u8>"],
    ["struct { a: u8 b: N }", "struct { a: u8, b: N }"],
    ["union { N | str = 3 }", "union { N = 0 | str = 3 }"],
    ["enum { A B = 5 }", "enum { A = 0 B = 5 }"],
  ])("%s is written %s", (source, text) => {
    const type = parseSchema(`type T ${source}\ntype N u8\n`, "x.bare", 1).descriptor.types.T!
    expect(typeText(type)).toBe(text)
  })
})
