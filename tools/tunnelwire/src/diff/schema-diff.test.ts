// Every kind of change diffSchemas reports, each with where a reader finds it: the records the
// compatibility rules turn into findings, pinned whole.
import { describe, expect, it } from "vitest"
import { parseSchema } from "../schema/parse-schema.ts"
import { diffSchemas } from "./schema-diff.ts"

const changes = (older: string, newer: string) =>
  diffSchemas(parseSchema(older, "old.bare", 1), parseSchema(newer, "new.bare", 2)).changes

const inNew = (line: number, column: number) => ({ file: "new.bare", line, column })
const inOld = (line: number, column: number) => ({ file: "old.bare", line, column })

describe("named types and roots", () => {
  it("a new type nothing refers to is a new root, not an added type", () => {
    expect(
      changes(
        "type N u8\ntype A struct { n: N }\n",
        "type N u8\ntype A struct { n: N }\ntype B struct { n: N }\n",
      ),
    ).toEqual([{ kind: "root-added", at: inNew(3, 1), type: "B", why: "a new type" }])
  })

  it("a type nothing refers to any more becomes a root", () => {
    expect(
      changes("type N u8\ntype A struct { n: N }\n", "type N u8\ntype A struct { m: u8 }\n"),
    ).toEqual([
      { kind: "root-added", at: inNew(1, 1), type: "N", why: "no type refers to it any more" },
      { kind: "field-renamed", at: inNew(2, 17), type: "A", from: "n", to: "m", index: 0 },
    ])
  })

  it("a type that is gone is removed, with its shape, where the older file declared it", () => {
    expect(changes("type N u8\ntype A struct { n: N }\n", "type A struct { m: u8 }\n")).toEqual([
      { kind: "type-removed", at: inOld(1, 1), type: "N", shape: "u8" },
      { kind: "field-renamed", at: inNew(1, 17), type: "A", from: "n", to: "m", index: 0 },
    ])
    expect(
      changes("type S struct { a: u8 }\ntype T struct { s: S }\n", "type T struct { s: u16 }\n"),
    ).toEqual([
      { kind: "type-removed", at: inOld(1, 1), type: "S", shape: "struct { a: u8 }" },
      {
        kind: "retyped",
        at: inNew(1, 17),
        subject: "T.s",
        field: true,
        relation: "changed",
        before: "S",
        after: "u16",
      },
    ])
  })

  it("a root removed because others now refer to it names them all", () => {
    expect(
      changes("type N u8\n", "type N u8\ntype A struct { n: N }\ntype B struct { n: N }\n"),
    ).toEqual([
      { kind: "root-added", at: inNew(2, 1), type: "A", why: "a new type" },
      { kind: "root-added", at: inNew(3, 1), type: "B", why: "a new type" },
      { kind: "root-removed", at: inNew(1, 1), type: "N", why: "A, B now refer to it" },
    ])
    expect(changes("type N u8\n", "type N u8\ntype A struct { n: N }\n")).toContainEqual({
      kind: "root-removed",
      at: inNew(1, 1),
      type: "N",
      why: "A now refers to it",
    })
  })

  it("a root that is gone is removed where the older file declared it", () => {
    expect(changes("type A u8\ntype B str\n", "type A u8\n")).toEqual([
      { kind: "root-removed", at: inOld(2, 1), type: "B", why: "the type is gone" },
    ])
  })

  it("types renamed with everything that refers to them are renamed, and nothing else", () => {
    expect(
      changes("type A struct { n: N }\ntype N u8\n", "type B struct { n: M }\ntype M u8\n"),
    ).toEqual([
      { kind: "type-renamed", at: inNew(2, 1), from: "N", to: "M" },
      { kind: "type-renamed", at: inNew(1, 1), from: "A", to: "B" },
    ])
  })

  it("a renamed union member type is a renamed type, not a changed union", () => {
    expect(
      changes(
        "type U union { A | B }\ntype A void\ntype B u8\n",
        "type U union { A | C }\ntype A void\ntype C u8\n",
      ),
    ).toEqual([{ kind: "type-renamed", at: inNew(3, 1), from: "B", to: "C" }])
  })
})

describe("struct fields", () => {
  it("added and removed fields carry their type, position and the struct's field count", () => {
    expect(
      changes(
        "type A struct { a: u8 b: u16 c: str }\n",
        "type A struct { a: u8 x: u32 c: str d: bool }\n",
      ),
    ).toEqual([
      {
        kind: "field-added",
        at: inNew(1, 23),
        type: "A",
        field: "x",
        fieldType: "u32",
        index: 1,
        count: 4,
      },
      {
        kind: "field-added",
        at: inNew(1, 37),
        type: "A",
        field: "d",
        fieldType: "bool",
        index: 3,
        count: 4,
      },
      {
        kind: "field-removed",
        at: inOld(1, 23),
        type: "A",
        field: "b",
        fieldType: "u16",
        index: 1,
        count: 3,
      },
    ])
  })

  it("a field under a new name at the same position, written the same way, is renamed", () => {
    expect(changes("type A struct { a: u8 b: u16 }\n", "type A struct { a: u8 z: u16 }\n")).toEqual(
      [{ kind: "field-renamed", at: inNew(1, 23), type: "A", from: "b", to: "z", index: 1 }],
    )
  })

  it("a renamed field whose values read differently is renamed and retyped", () => {
    expect(changes("type A struct { a: u8 b: u16 }\n", "type A struct { a: u8 z: i16 }\n")).toEqual(
      [
        { kind: "field-renamed", at: inNew(1, 23), type: "A", from: "b", to: "z", index: 1 },
        {
          kind: "retyped",
          at: inNew(1, 23),
          subject: "A.z",
          field: true,
          relation: "reinterpreted",
          before: "u16",
          after: "i16",
        },
      ],
    )
  })

  it("fields in another order are reordered, found at the first one that moved", () => {
    expect(
      changes("type A struct { a: u8 b: u16 c: str }\n", "type A struct { a: u8 c: str b: u16 }\n"),
    ).toEqual([
      {
        kind: "fields-reordered",
        at: inNew(1, 23),
        type: "A",
        before: ["a", "b", "c"],
        after: ["a", "c", "b"],
      },
    ])
  })

  it("fields of the same name written or read differently are retyped, each with its relation", () => {
    expect(
      changes("type A struct { a: u8 b: u16 }\n", "type A struct { a: i8 b: optional<u16> }\n"),
    ).toEqual([
      {
        kind: "retyped",
        at: inNew(1, 17),
        subject: "A.a",
        field: true,
        relation: "reinterpreted",
        before: "u8",
        after: "i8",
      },
      {
        kind: "retyped",
        at: inNew(1, 23),
        subject: "A.b",
        field: true,
        relation: "optional-added",
        before: "u16",
        after: "optional<u16>",
      },
    ])
  })
})

describe("unions and enums", () => {
  it("a new enum value is added at its tag", () => {
    expect(changes("type E enum { X Y }\n", "type E enum { X Y Z }\n")).toEqual([
      { kind: "tagged-added", at: inNew(1, 19), container: "enum", type: "E", item: "Z", tag: 2 },
    ])
  })

  it("an enum value under a new name at the same tag is renamed", () => {
    expect(changes("type E enum { X Y }\n", "type E enum { X W }\n")).toEqual([
      {
        kind: "tagged-renamed",
        at: inNew(1, 17),
        container: "enum",
        type: "E",
        from: "Y",
        to: "W",
        tag: 1,
      },
    ])
  })

  it("a member inserted at the front shifts the others, found at the inserted member", () => {
    expect(
      changes(
        "type U union { A | B }\ntype A void\ntype B void\n",
        "type U union { X | A | B }\ntype A void\ntype B void\ntype X void\n",
      ),
    ).toEqual([
      { kind: "type-added", at: inNew(4, 1), type: "X", shape: "void" },
      {
        kind: "tags-shifted",
        at: inNew(1, 16),
        container: "union",
        type: "U",
        shifts: [
          { name: "A", from: 0, to: 1 },
          { name: "B", from: 1, to: 2 },
        ],
        inserted: [{ name: "X", tag: 0 }],
        dropped: [],
      },
    ])
  })

  it("a member dropped from the middle shifts the ones after it, found at the first that moved", () => {
    expect(
      changes(
        "type U union { A | B | C }\ntype A void\ntype B void\ntype C void\n",
        "type U union { A | C }\ntype A void\ntype C void\n",
      ),
    ).toEqual([
      { kind: "type-removed", at: inOld(3, 1), type: "B", shape: "void" },
      {
        kind: "tags-shifted",
        at: inNew(1, 20),
        container: "union",
        type: "U",
        shifts: [{ name: "C", from: 2, to: 1 }],
        inserted: [],
        dropped: [{ name: "B", tag: 1 }],
      },
    ])
  })

  it("members swapped are shifted, found at the one that lands on the lowest tag", () => {
    expect(
      changes(
        "type U union { A | B | C }\ntype A void\ntype B void\ntype C void\n",
        "type U union { B | A | D = 5 }\ntype A void\ntype B void\ntype D void\n",
      ),
    ).toEqual([
      { kind: "type-added", at: inNew(4, 1), type: "D", shape: "void" },
      { kind: "type-removed", at: inOld(4, 1), type: "C", shape: "void" },
      { kind: "tagged-added", at: inNew(1, 24), container: "union", type: "U", item: "D", tag: 5 },
      {
        kind: "tagged-removed",
        at: inOld(1, 24),
        container: "union",
        type: "U",
        item: "C",
        tag: 2,
      },
      {
        kind: "tags-shifted",
        at: inNew(1, 16),
        container: "union",
        type: "U",
        shifts: [
          { name: "A", from: 0, to: 1 },
          { name: "B", from: 1, to: 0 },
        ],
        inserted: [],
        dropped: [],
      },
    ])
  })

  it("an inline member retyped is reported at the member, by its tag", () => {
    expect(
      changes(
        "type U union { A | struct { n: u8 } }\ntype A void\n",
        "type U union { A | struct { n: i8 } }\ntype A void\n",
      ),
    ).toEqual([
      {
        kind: "retyped",
        at: inNew(1, 27),
        subject: "U.1",
        field: false,
        relation: "reinterpreted",
        before: "struct { n: u8 }",
        after: "struct { n: i8 }",
      },
    ])
  })
})

describe("other named types", () => {
  it("a named list whose items read differently is retyped where it is declared", () => {
    expect(
      changes(
        "type L list<u8>\ntype R struct { l: L }\n",
        "type L list<i8>\ntype R struct { l: L }\n",
      ),
    ).toEqual([
      {
        kind: "retyped",
        at: inNew(1, 1),
        subject: "L",
        field: false,
        relation: "reinterpreted",
        before: "list<u8>",
        after: "list<i8>",
      },
    ])
  })
})
