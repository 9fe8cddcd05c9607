// The one-line form of a value, over a small schema with every kind of type: how each kind is
// shown, where long things are cut and how the cut is announced, and what each option changes.
import { describe, expect, it } from "vitest"
import type { SchemaDescriptor } from "../src/descriptor.js"
import { stringifyValue } from "../src/stringify.js"

const SCHEMA: SchemaDescriptor = {
  version: 9,
  roots: ["Note"],
  types: {
    Note: {
      kind: "struct",
      fields: [
        { name: "flag", type: { kind: "bool" } },
        { name: "ratio", type: { kind: "f32" } },
        { name: "count", type: { kind: "uint" } },
        { name: "text", type: { kind: "str" } },
        { name: "id", type: { kind: "data", length: 4 } },
        { name: "body", type: { kind: "data" } },
        { name: "maybe", type: { kind: "optional", of: { kind: "ref", name: "Small" } } },
        { name: "items", type: { kind: "ref", name: "Items" } },
        { name: "tags", type: { kind: "list", of: { kind: "u8" } } },
        { name: "headers", type: { kind: "map", key: { kind: "str" }, value: { kind: "str" } } },
        { name: "color", type: { kind: "enum", values: [{ name: "Red", value: 0 }] } },
        { name: "shape", type: { kind: "ref", name: "Shape" } },
      ],
    },
    Small: { kind: "struct", fields: [{ name: "n", type: { kind: "u8" } }] },
    Items: { kind: "list", of: { kind: "i16" } },
    Shape: {
      kind: "union",
      members: [
        { tag: 0, name: "Dot", type: { kind: "ref", name: "Dot" } },
        { tag: 1, name: 1, type: { kind: "void" } },
      ],
    },
    Dot: { kind: "void" },
  },
}

const bytes = (...values: number[]) => new Uint8Array(values).buffer
const text = (value: string) => new TextEncoder().encode(value).buffer

const note = {
  flag: false,
  ratio: 1.5,
  count: 42n,
  text: "hi",
  id: bytes(1, 2, 3, 4),
  body: text("ok"),
  maybe: null,
  items: [1, -2],
  tags: [],
  headers: new Map([["accept", "*/*"]]),
  color: "Red",
  shape: { tag: "Dot", val: null },
}

const show = (changes: Record<string, unknown> = {}, options = {}) =>
  stringifyValue(SCHEMA, "Note", { ...note, ...changes }, options)

describe("stringify shows each kind of type", () => {
  it("on one line, named types by their name, inline ones bare", () => {
    expect(show()).toBe(
      'Note{flag: false, ratio: 1.5, count: 42n, text: "hi", id: 01020304(4), body: 2B "ok", ' +
        'maybe: null, items: Items[1, -2], tags: [], headers: {"accept": "*/*"}, color: Red, ' +
        "shape: Dot}",
    )
  })

  it("a present optional as its value, and an undefined one as null", () => {
    expect(show({ maybe: { n: 5 } })).toContain("maybe: Small{n: 5},")
    expect(show({ maybe: undefined })).toContain("maybe: null,")
  })

  it("a void member without a type name by its number, an unknown member as unknown", () => {
    expect(show({ shape: { tag: 1, val: null } })).toContain("shape: 1}")
    expect(show({ shape: { tag: "Square", val: null } })).toContain(
      "shape: <unknown member Square>}",
    )
  })

  it("an id longer than four bytes as its first four and its length", () => {
    const long = stringifyValue(
      { ...SCHEMA, types: { ...SCHEMA.types, Id: { kind: "data", length: 5 } } },
      "Id",
      bytes(0xab, 0xcd, 0xef, 0x01, 0x23),
    )
    expect(long).toBe("abcdef01…(5)")
  })
})

describe("stringify cuts what is long", () => {
  it("strings after 80 characters by default, giving their length", () => {
    expect(show({ text: "x".repeat(80) })).toContain(`text: "${"x".repeat(80)}",`)
    expect(show({ text: "x".repeat(81) })).toContain(`text: "${"x".repeat(80)}"…(81 chars),`)
  })

  it("strings after maxStringLength characters", () => {
    expect(show({ text: "abcdef" }, { maxStringLength: 3 })).toContain('text: "abc"…(6 chars),')
    expect(show({ text: "abc" }, { maxStringLength: 3 })).toContain('text: "abc",')
  })

  it("payloads after 16 bytes by default and after previewBytes", () => {
    expect(show({ body: text("0123456789abcdef") })).toContain('body: 16B "0123456789abcdef",')
    expect(show({ body: text("0123456789abcdefg") })).toContain('body: 17B "0123456789abcdef"…,')
    expect(show({ body: text("abcdef") }, { previewBytes: 2 })).toContain('body: 6B "ab"…,')
  })

  it("a payload cut inside a multi-byte character still previews as text", () => {
    expect(show({ body: text("aé") }, { previewBytes: 2 })).toContain('body: 3B "a"…,')
  })

  it("a payload with control characters previews as hex", () => {
    expect(show({ body: bytes(0x61, 0x07) })).toContain("body: 2B 6107,")
    expect(show({ body: bytes(0x61, 0x7f) })).toContain("body: 2B 617f,")
    expect(show({ body: bytes(0x61, 0x0a, 0x09) })).toContain('body: 3B "a\\n\\t",')
  })

  it("lists and maps after 8 entries by default and after maxEntries, counting the rest", () => {
    const nine = Array.from({ length: 9 }, (_, i) => i)
    expect(show({ tags: nine.slice(0, 8) })).toContain("tags: [0, 1, 2, 3, 4, 5, 6, 7],")
    expect(show({ tags: nine })).toContain("tags: [0, 1, 2, 3, 4, 5, 6, 7, …(+1)],")
    expect(show({ tags: [1, 2, 3] }, { maxEntries: 2 })).toContain("tags: [1, 2, …(+1)],")
    const headers = new Map([
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
    ])
    expect(show({ headers }, { maxEntries: 2 })).toContain('headers: {"a": "1", "b": "2", …(+1)},')
    expect(show({ headers }, { maxEntries: 3 })).toContain(
      'headers: {"a": "1", "b": "2", "c": "3"},',
    )
  })

  it("escapes the line breaks JSON leaves alone (NEL, LS, PS)", () => {
    expect(show({ text: "a\u0085b\u2028c\u2029d" })).toContain('text: "a\\u0085b\\u2028c\\u2029d",')
  })
})

describe("stringify redacts unless told not to", () => {
  it("hides secret header values by default and shows them with redact: false", () => {
    const headers = new Map([["authorization", "Bearer x"]])
    expect(show({ headers })).toContain('headers: {"authorization": "<redacted>"},')
    expect(show({ headers }, { redact: false })).toContain(
      'headers: {"authorization": "Bearer x"},',
    )
  })
})

describe("stringify shows every scalar kind", () => {
  const kinds: SchemaDescriptor = {
    version: 1,
    roots: ["Scalars"],
    types: {
      Scalars: {
        kind: "struct",
        fields: [
          ...(["bool", "u8", "u16", "u32", "i8", "i16", "i32", "f32", "f64"] as const).map(
            (kind) => ({ name: kind, type: { kind } }),
          ),
          ...(["u64", "i64", "uint", "int"] as const).map((kind) => ({
            name: kind,
            type: { kind },
          })),
          { name: "level", type: { kind: "enum", values: [{ name: "HIGH", value: 3 }] } },
          { name: "nothing", type: { kind: "void" } },
          { name: "voids", type: { kind: "list", of: { kind: "void" } } },
          {
            name: "point",
            type: {
              kind: "struct",
              fields: [
                { name: "x", type: { kind: "i8" } },
                { name: "y", type: { kind: "i8" } },
              ],
            },
          },
        ],
      },
    },
  }

  it("numbers as JavaScript writes them, 64-bit and variable-length ones with n", () => {
    expect(
      stringifyValue(kinds, "Scalars", {
        bool: true,
        u8: 255,
        u16: 65535,
        u32: 4294967295,
        i8: -128,
        i16: -32768,
        i32: -2147483648,
        f32: 0.25,
        f64: -1e-7,
        u64: 18446744073709551615n,
        i64: -9223372036854775808n,
        uint: 7n,
        int: -7n,
        level: "HIGH",
        nothing: null,
        voids: [null, null],
        point: { x: 1, y: -1 },
      }),
    ).toBe(
      "Scalars{bool: true, u8: 255, u16: 65535, u32: 4294967295, i8: -128, i16: -32768, " +
        "i32: -2147483648, f32: 0.25, f64: -1e-7, u64: 18446744073709551615n, " +
        "i64: -9223372036854775808n, uint: 7n, int: -7n, level: HIGH, nothing: void, " +
        "voids: [void, void], point: {x: 1, y: -1}}",
    )
  })
})

describe("stringify previews payloads", () => {
  it("an empty payload as its length alone", () => {
    expect(show({ body: bytes() })).toContain("body: 0B,")
  })

  it("bytes that are not UTF-8 as hex, even without control characters", () => {
    expect(show({ body: bytes(0xff, 0x61) })).toContain("body: 2B ff61,")
  })
})
