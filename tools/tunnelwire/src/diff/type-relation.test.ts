// How the bytes of an older type relate to a newer one, pair by pair: the relation decides which
// rule a retyped field or member falls under, so each one is pinned here on its own.
import { describe, expect, it } from "vitest"
import { parseSchema } from "../schema/parse-schema.ts"
import { isDifferentEncoding, relateTypes, type TypeRelation } from "./type-relation.ts"

/** The relation of `type T <older>` to `type T <newer>`, each with its own extra declarations. */
function relation(older: string, newer: string, extra = { older: "", newer: "" }): TypeRelation {
  const a = parseSchema(`type T ${older}\n${extra.older}`, "old.bare", 1).descriptor
  const b = parseSchema(`type T ${newer}\n${extra.newer}`, "new.bare", 2).descriptor
  return relateTypes({ older: a, newer: b, renames: new Map() }, a.types.T!, b.types.T!)
}

describe("relations between primitives", () => {
  it.each([
    ["u8", "u8", "same"],
    ["u8", "i8", "reinterpreted"],
    ["i16", "u16", "reinterpreted"],
    ["u32", "f32", "reinterpreted"],
    ["f64", "i64", "reinterpreted"],
    ["uint", "int", "reinterpreted"],
    ["bool", "u8", "widened"],
    ["i8", "bool", "narrowed"],
    ["u8", "u16", "changed"],
    ["uint", "u64", "changed"],
    ["i32", "str", "changed"],
  ] as const)("%s → %s is %s", (older, newer, expected) => {
    expect(relation(older, newer)).toBe(expected)
  })
})

describe("relations between byte strings", () => {
  it.each([
    ["str", "data", "widened"],
    ["data", "str", "narrowed"],
    ["list<u8>", "str", "narrowed"],
    ["data", "list<u8>", "same-encoding-retyped"],
    ["data[4]", "list<u8>[4]", "same-encoding-retyped"],
    ["data[16]", "data[8]", "fixed-length"],
    ["list<u8>[2]", "data[3]", "fixed-length"],
    ["data", "data[16]", "changed"],
    ["data[16]", "str", "changed"],
    ["list<i8>", "data", "changed"],
  ] as const)("%s → %s is %s", (older, newer, expected) => {
    expect(relation(older, newer)).toBe(expected)
  })
})

describe("relations between containers", () => {
  it.each([
    ["list<u32>", "list<i32>", "reinterpreted"],
    ["list<u32>", "list<u32>[2]", "changed"],
    ["list<bool>[2]", "list<u8>[3]", "fixed-length"],
    ["list<u8>[2]", "list<u8>[2]", "same"],
    ["map<str><u8>", "map<str><i8>", "reinterpreted"],
    ["map<str><str>", "map<str><data>", "widened"],
    ["map<str><data>", "map<str><str>", "narrowed"],
    ["map<u8><u8>", "map<i8><u8>", "reinterpreted"],
    ["map<bool><u8>", "map<u8><i8>", "reinterpreted"],
    ["map<str><u8>", "map<str><u16>", "changed"],
    ["map<u8><u8>", "map<u16><u8>", "changed"],
  ] as const)("%s → %s is %s", (older, newer, expected) => {
    expect(relation(older, newer)).toBe(expected)
  })
})

describe("relations with optionals", () => {
  it.each([
    ["optional<u8>", "u8", "optional-removed"],
    ["optional<u8>", "i8", "optional-removed"],
    ["u8", "optional<u8>", "optional-added"],
    ["data", "optional<str>", "optional-added"],
    ["optional<u8>", "optional<i8>", "reinterpreted"],
    ["optional<u8>", "optional<u8>", "same"],
    ["u8", "optional<u16>", "changed"],
    ["optional<u16>", "u8", "changed"],
  ] as const)("%s → %s is %s", (older, newer, expected) => {
    expect(relation(older, newer)).toBe(expected)
  })
})

describe("relations between structs, which are their fields written one after another", () => {
  it.each([
    ["struct { a: u8 b: u16 }", "struct { a: u8 b: u16 }", "same"],
    ["struct { a: u8 b: u16 }", "struct { x: u8 y: u16 }", "same-encoding-retyped"],
    ["struct { a: u8 }", "u8", "same-encoding-retyped"],
    ["u8", "struct { a: u8 }", "same-encoding-retyped"],
    ["struct { a: u8 b: u8 }", "struct { a: u8 }", "changed"],
    ["struct { a: bool b: u8 }", "struct { a: u8 b: u8 }", "widened"],
    ["struct { a: u8 b: u8 }", "struct { a: u8 b: bool }", "narrowed"],
    ["struct { a: bool b: u8 }", "struct { a: u8 b: bool }", "reinterpreted"],
    ["struct { a: bool b: str }", "struct { a: u8 b: data }", "widened"],
    ["struct { a: u8 b: u8 }", "struct { a: i8 b: bool }", "reinterpreted"],
    ["struct { a: bool b: u8 }", "struct { a: u8 b: i8 }", "reinterpreted"],
    ["struct { a: data b: u8 }", "struct { a: list<u8> b: u8 }", "same-encoding-retyped"],
    ["struct { a: u8 b: data }", "struct { a: u8 b: list<u8> }", "same-encoding-retyped"],
    ["struct { a: data[2] b: data[3] }", "struct { a: data[3] b: data[4] }", "fixed-length"],
    ["struct { a: data[2] b: u8 }", "struct { a: data[3] b: u16 }", "changed"],
    ["struct { a: u16 b: data[2] }", "struct { a: u8 b: data[3] }", "changed"],
    ["struct { a: data[2] b: bool }", "struct { a: data[3] b: u8 }", "fixed-length"],
    ["struct { a: bool b: data[2] }", "struct { a: u8 b: data[3] }", "fixed-length"],
    ["struct { a: u8 b: optional<u8> }", "struct { a: u8 b: u8 }", "optional-removed"],
  ] as const)("%s → %s is %s", (older, newer, expected) => {
    expect(relation(older, newer)).toBe(expected)
  })
})

describe("relations with enums, written as a uint", () => {
  it.each([
    ["enum { A B }", "enum { A B }", "same"],
    ["enum { A B }", "enum { A B C }", "widened"],
    ["enum { A B C }", "enum { A B }", "narrowed"],
    ["enum { A B }", "enum { A C }", "reinterpreted"],
    ["enum { A B }", "uint", "widened"],
    ["uint", "enum { A B }", "narrowed"],
    ["enum { A B }", "u8", "changed"],
    ["u8", "enum { A B }", "changed"],
  ] as const)("%s → %s is %s", (older, newer, expected) => {
    expect(relation(older, newer)).toBe(expected)
  })
})

describe("relations between unions and named types", () => {
  const members = { older: "type A void\ntype B u8\n", newer: "type A void\ntype B u8\n" }

  it("a union with the same members at the same tags is the same", () => {
    expect(relation("union { A | B }", "union { A | B }", members)).toBe("same")
  })

  it("a union whose members moved, changed or grew is changed", () => {
    expect(relation("union { A | B }", "union { B | A }", members)).toBe("changed")
    expect(relation("union { A | B }", "union { A | B = 2 }", members)).toBe("changed")
    expect(relation("union { A | B }", "union { A }", members)).toBe("changed")
    expect(
      relation("union { A | B }", "union { A | B | C }", {
        ...members,
        newer: `${members.newer}type C str\n`,
      }),
    ).toBe("changed")
  })

  it("a union whose members keep their names is the same: a member type's change is reported where it is declared", () => {
    const retyped = { older: members.older, newer: "type A void\ntype B i8\n" }
    expect(relation("union { A | B }", "union { A | B }", retyped)).toBe("same")
  })

  it("two references to one type are the same, whatever changed inside it", () => {
    const a = parseSchema("type N u8\n", "old.bare", 1).descriptor
    const b = parseSchema("type N u16\n", "new.bare", 2).descriptor
    const n = { kind: "ref", name: "N" } as const
    expect(relateTypes({ older: a, newer: b, renames: new Map() }, n, n)).toBe("same")
  })

  it("a struct's fields are compared by what they write, even when they name one type", () => {
    const inside = { older: "type N u8\n", newer: "type N u16\n" }
    expect(relation("struct { n: N }", "struct { n: N }", inside)).toBe("changed")
  })

  it("references to two types compare what the types write", () => {
    const named = { older: "type N u8\n", newer: "type M i8\n" }
    expect(relation("struct { n: N }", "struct { n: M }", named)).toBe("reinterpreted")
  })

  it("a reference to a renamed type is the same", () => {
    const a = parseSchema("type T struct { n: N }\ntype N u8\n", "old.bare", 1).descriptor
    const b = parseSchema("type T struct { n: M }\ntype M u8\n", "new.bare", 2).descriptor
    const renames = new Map([["N", "M"]])
    expect(relateTypes({ older: a, newer: b, renames }, a.types.T!, b.types.T!)).toBe("same")
  })

  it("recursive types compared with each other end, as the same when nothing else differs", () => {
    const older = "type L struct { next: optional<L> }\n"
    const newer = "type K struct { next: optional<K> }\n"
    expect(relation("struct { l: L }", "struct { l: K }", { older, newer })).toBe("same")
  })

  it("a reference to a type the schema lacks is an error, not a relation", () => {
    const a = parseSchema("type T u8\n", "old.bare", 1).descriptor
    const context = { older: a, newer: a, renames: new Map() }
    expect(() => relateTypes(context, { kind: "ref", name: "Gone" }, a.types.T!)).toThrow(
      "unknown type Gone",
    )
  })
})

describe("which relations change the encoding", () => {
  it.each([
    ["same", false],
    ["same-encoding-retyped", false],
    ["narrowed", false],
    ["widened", false],
    ["reinterpreted", false],
    ["optional-added", true],
    ["optional-removed", true],
    ["fixed-length", true],
    ["changed", true],
  ] as const)("%s: %s", (relationName, different) => {
    expect(isDifferentEncoding(relationName)).toBe(different)
  })
})
