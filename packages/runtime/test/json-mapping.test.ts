// The JSON mapping over a schema that has every kind of type once, including the floats no
// released version uses: each kind's JSON form, and each refusal with its path and reason.
import { describe, expect, it } from "vitest"
import type { SchemaDescriptor } from "../src/descriptor.js"
import { JsonMappingError } from "../src/errors.js"
import { fromJsonValue, toJsonValue } from "../src/json-mapping.js"

const SCHEMA: SchemaDescriptor = {
  version: 9,
  roots: ["Everything"],
  types: {
    Everything: {
      kind: "struct",
      fields: [
        { name: "flag", type: { kind: "bool" } },
        { name: "small", type: { kind: "u8" } },
        { name: "big", type: { kind: "u64" } },
        { name: "ratio", type: { kind: "f64" } },
        { name: "name", type: { kind: "str" } },
        { name: "id", type: { kind: "data", length: 4 } },
        { name: "blob", type: { kind: "data" } },
        { name: "maybe", type: { kind: "optional", of: { kind: "u16" } } },
        { name: "items", type: { kind: "list", of: { kind: "i8" } } },
        { name: "pair", type: { kind: "list", of: { kind: "u8" }, length: 2 } },
        { name: "counts", type: { kind: "map", key: { kind: "str" }, value: { kind: "u8" } } },
        { name: "color", type: { kind: "ref", name: "Color" } },
        { name: "shape", type: { kind: "ref", name: "Shape" } },
        { name: "nothing", type: { kind: "void" } },
      ],
    },
    Color: {
      kind: "enum",
      values: [
        { name: "Red", value: 0 },
        { name: "Green", value: 1 },
      ],
    },
    Shape: {
      kind: "union",
      members: [
        { tag: 0, name: "Circle", type: { kind: "ref", name: "Circle" } },
        { tag: 1, name: "Dot", type: { kind: "ref", name: "Dot" } },
      ],
    },
    Circle: { kind: "struct", fields: [{ name: "r", type: { kind: "u8" } }] },
    Dot: { kind: "void" },
  },
}

const value = {
  flag: true,
  small: 7,
  big: 18446744073709551615n,
  ratio: 0.5,
  name: "héllo",
  id: new Uint8Array([0xde, 0xad, 0xbe, 0xef]).buffer,
  blob: new Uint8Array([1, 2, 3, 4]).buffer,
  maybe: 300,
  items: [-1, 2],
  pair: [0, 255],
  counts: new Map([
    ["b", 2],
    ["a", 1],
  ]),
  color: "Green",
  shape: { tag: "Circle", val: { r: 3 } },
  nothing: null,
}

const json = {
  flag: true,
  small: 7,
  big: "18446744073709551615",
  ratio: 0.5,
  name: "héllo",
  id: "deadbeef",
  blob: "AQIDBA==",
  maybe: 300,
  items: [-1, 2],
  pair: [0, 255],
  counts: [
    ["b", 2],
    ["a", 1],
  ],
  color: "Green",
  shape: { tag: "Circle", val: { r: 3 } },
  nothing: null,
}

const toJson = (v: unknown) => toJsonValue(SCHEMA, "Everything", v)
const fromJson = (j: unknown) => fromJsonValue(SCHEMA, "Everything", j)
const withJson = (changes: Record<string, unknown>) => ({ ...json, ...changes })

function refusal(j: unknown): JsonMappingError {
  try {
    fromJson(j)
  } catch (error) {
    if (error instanceof JsonMappingError) return error
    throw error
  }
  throw new Error("mapped without a refusal")
}

describe("JSON mapping of every kind of type", () => {
  it("writes each kind in its JSON form", () => {
    expect(toJson(value)).toStrictEqual(json)
  })

  it("reads each kind back from its JSON form", () => {
    const back = fromJson(json) as typeof value
    expect({
      ...back,
      id: [...new Uint8Array(back.id)],
      blob: [...new Uint8Array(back.blob)],
    }).toStrictEqual({
      ...value,
      id: [0xde, 0xad, 0xbe, 0xef],
      blob: [1, 2, 3, 4],
    })
  })

  it("writes an absent optional and a void member as null, and reads them back", () => {
    const shape = { tag: "Dot", val: null }
    expect(toJson({ ...value, maybe: null, shape })).toMatchObject({ maybe: null, shape })
    expect(fromJson(withJson({ maybe: null, shape: { tag: "Dot" } }))).toMatchObject({
      maybe: null,
      shape,
    })
  })

  it.each([
    [Number.NaN, "NaN"],
    [-0, "-0"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
  ])("writes the float %s as the string %j and reads it back", (float, text) => {
    expect(toJson({ ...value, ratio: float })).toMatchObject({ ratio: text })
    expect(Object.is((fromJson(withJson({ ratio: text })) as typeof value).ratio, float)).toBe(true)
  })

  it("keeps 0 and plain numbers as numbers", () => {
    expect(toJson({ ...value, ratio: 0 })).toMatchObject({ ratio: 0 })
    expect(toJson({ ...value, ratio: -2.5 })).toMatchObject({ ratio: -2.5 })
  })

  it("refuses to write a union member the type does not have", () => {
    expect(() => toJson({ ...value, shape: { tag: "Square", val: null } })).toThrow(
      "v9: no union member Square",
    )
  })
})

describe("JSON mapping refusals name the path and the reason", () => {
  it.each([
    ["a bool that is a string", { flag: "true" }, "Everything.flag", "expected a boolean"],
    ["a u8 past its range", { small: 256 }, "Everything.small", "expected an integer in u8 range"],
    ["a str that is a number", { name: 1 }, "Everything.name", "expected a string"],
    [
      "a float that is a string other than the four",
      { ratio: "1.5" },
      "Everything.ratio",
      "expected a number or NaN, Infinity, -Infinity, -0",
    ],
    ["data that is not a string", { blob: [1] }, "Everything.blob", "expected a string"],
    [
      "a fixed-length id of the wrong length",
      { id: "dead" },
      "Everything.id",
      "expected 4 bytes, got 2",
    ],
    ["an id in base64", { id: "3q2+7w==" }, "Everything.id", "expected hex"],
    ["a list that is an object", { items: {} }, "Everything.items", "expected an array"],
    [
      "a list item of the wrong type",
      { items: [1, 200] },
      "Everything.items[1]",
      "expected an integer in i8 range",
    ],
    ["a fixed-length list of another length", { pair: [1] }, "Everything.pair", "expected 2 items"],
    [
      "a map that is an object",
      { counts: { a: 1 } },
      "Everything.counts",
      "expected an array of [key, value] pairs",
    ],
    [
      "a map entry of three",
      { counts: [["a", 1, 2]] },
      "Everything.counts",
      "entry 0 is not a pair",
    ],
    [
      "a map key of the wrong type",
      { counts: [[1, 1]] },
      "Everything.counts[0][0]",
      "expected a string",
    ],
    [
      "a map value of the wrong type",
      { counts: [["a", "1"]] },
      "Everything.counts[0][1]",
      "expected an integer in u8 range",
    ],
    ["an enum by its number", { color: 1 }, "Everything.color", "expected one of Red, Green"],
    [
      "a union that is not an object",
      { shape: "Circle" },
      "Everything.shape",
      'expected { "tag": …, "val": … }',
    ],
    [
      "a union without a tag",
      { shape: { val: null } },
      "Everything.shape",
      'expected { "tag": …, "val": … }',
    ],
    [
      "a union member with a bad value",
      { shape: { tag: "Circle", val: { r: -1 } } },
      "Everything.shape.val.r",
      "expected an integer in u8 range",
    ],
    ["void that is not null", { nothing: 0 }, "Everything.nothing", "expected null"],
  ])("refuses %s", (_name, changes, path, reason) => {
    expect(refusal(withJson(changes))).toMatchObject({ path, version: 9, reason })
  })

  it("refuses a struct that is null, an array or not an object", () => {
    for (const j of [null, [], "x"]) {
      expect(refusal(j)).toMatchObject({ path: "Everything", reason: "expected an object" })
    }
  })

  it("refuses a struct with a field missing or one too many", () => {
    const { flag: _, ...withoutFlag } = json
    expect(refusal(withoutFlag)).toMatchObject({ reason: "missing field flag" })
    expect(refusal(withJson({ extra: 1 }))).toMatchObject({ reason: "unknown field extra" })
  })
})

describe("JSON mapping of every number kind", () => {
  const numbers: SchemaDescriptor = {
    version: 2,
    roots: ["Numbers"],
    types: {
      Numbers: {
        kind: "struct",
        fields: (
          [
            "u8",
            "u16",
            "u32",
            "i8",
            "i16",
            "i32",
            "f32",
            "f64",
            "u64",
            "i64",
            "uint",
            "int",
          ] as const
        ).map((kind) => ({ name: kind, type: { kind } })),
      },
      Wide: { kind: "u64" },
      Signed: { kind: "i64" },
      MaybeWide: { kind: "optional", of: { kind: "u64" } },
      MaybeFloat: { kind: "optional", of: { kind: "f64" } },
    },
  }
  const numbersValue = {
    u8: 255,
    u16: 65535,
    u32: 4294967295,
    i8: -128,
    i16: -32768,
    i32: -2147483648,
    f32: Number.NaN,
    f64: Number.NEGATIVE_INFINITY,
    u64: 18446744073709551615n,
    i64: -9223372036854775808n,
    uint: 0n,
    int: -1n,
  }
  const numbersJson = {
    u8: 255,
    u16: 65535,
    u32: 4294967295,
    i8: -128,
    i16: -32768,
    i32: -2147483648,
    f32: "NaN",
    f64: "-Infinity",
    u64: "18446744073709551615",
    i64: "-9223372036854775808",
    uint: "0",
    int: "-1",
  }

  it("writes each in its JSON form and reads it back", () => {
    expect(toJsonValue(numbers, "Numbers", numbersValue)).toStrictEqual(numbersJson)
    expect(fromJsonValue(numbers, "Numbers", numbersJson)).toStrictEqual(numbersValue)
  })

  it("refuses integers out of their range, each naming its kind", () => {
    for (const [kind, bad] of [
      ["u32", 4294967296],
      ["i16", 32768],
      ["i32", -2147483649],
    ] as const) {
      expect(() => fromJsonValue(numbers, "Numbers", { ...numbersJson, [kind]: bad })).toThrow(
        new JsonMappingError({
          path: `Numbers.${kind}`,
          version: 2,
          reason: `expected an integer in ${kind} range`,
        }),
      )
    }
  })

  it("reads 64-bit integers from canonical decimal strings only", () => {
    for (const text of ["01", "1.0", "+1", " 1", "1 ", "1e3", "0x10", "x1", "1x", "", "--1"]) {
      expect(() => fromJsonValue(numbers, "Wide", text), JSON.stringify(text)).toThrow(
        new JsonMappingError({
          path: "Wide",
          version: 2,
          reason: "expected a decimal string for u64",
        }),
      )
    }
    expect(() => fromJsonValue(numbers, "Wide", 5)).toThrow("expected a decimal string for u64")
    expect(() => fromJsonValue(numbers, "Wide", 5n)).toThrow("expected a decimal string for u64")
    expect(fromJsonValue(numbers, "Wide", "0")).toBe(0n)
    expect(fromJsonValue(numbers, "Signed", "-0")).toBe(0n)
  })

  it("refuses 64-bit integers out of their range", () => {
    expect(() => fromJsonValue(numbers, "Wide", "18446744073709551616")).toThrow(
      new JsonMappingError({ path: "Wide", version: 2, reason: "out of u64 range" }),
    )
    expect(() => fromJsonValue(numbers, "Wide", "-1")).toThrow("out of u64 range")
    expect(() => fromJsonValue(numbers, "Signed", "-9223372036854775809")).toThrow(
      "out of i64 range",
    )
  })

  it("writes an absent optional 64-bit integer or float as null", () => {
    expect(toJsonValue(numbers, "MaybeWide", null)).toBeNull()
    expect(toJsonValue(numbers, "MaybeFloat", null)).toBeNull()
    expect(toJsonValue(numbers, "MaybeWide", 3n)).toBe("3")
  })
})

describe("JSON mapping of unions, maps and data, further refusals", () => {
  it("writes a void member given without a value as null", () => {
    expect(toJsonValue(SCHEMA, "Shape", { tag: "Dot" })).toStrictEqual({ tag: "Dot", val: null })
  })

  it("refuses a union that is null, and a tag the union lacks", () => {
    expect(refusal(withJson({ shape: null }))).toMatchObject({
      path: "Everything.shape",
      reason: 'expected { "tag": …, "val": … }',
    })
    expect(refusal(withJson({ shape: { tag: "Square", val: null } }))).toMatchObject({
      path: "Everything.shape",
      reason: 'unknown tag "Square"',
    })
  })

  it("refuses a map with a key twice", () => {
    expect(
      refusal(
        withJson({
          counts: [
            ["a", 1],
            ["a", 2],
          ],
        }),
      ),
    ).toMatchObject({ path: "Everything.counts", reason: "duplicate key at entry 1" })
  })

  it("refuses data that is not padded base64", () => {
    for (const blob of ["AQI", "AQI=A", "*AAA"]) {
      expect(refusal(withJson({ blob }))).toMatchObject({
        path: "Everything.blob",
        reason: "expected padded base64",
      })
    }
  })
})
