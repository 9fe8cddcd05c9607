// Why a value does not encode: the first fault findEncodeFault finds, with its path, the value
// and the reason an EncodeError will carry, for every kind of type.
import { describe, expect, it } from "vitest"
import type { SchemaDescriptor, TypeDescriptor } from "../src/descriptor.js"
import { findEncodeFault } from "../src/encode-diagnosis.js"

const schema: SchemaDescriptor = {
  version: 1,
  roots: ["Event"],
  types: {
    Port: { kind: "u16" },
    Id: { kind: "data", length: 4 },
    Color: {
      kind: "enum",
      values: [
        { name: "RED", value: 0 },
        { name: "GREEN", value: 1 },
      ],
    },
    Point: {
      kind: "struct",
      fields: [
        { name: "x", type: { kind: "i8" } },
        { name: "y", type: { kind: "i8" } },
      ],
    },
    Event: {
      kind: "union",
      members: [
        { tag: 0, name: "Moved", type: { kind: "ref", name: "Point" } },
        { tag: 1, name: "Closed", type: { kind: "void" } },
      ],
    },
    Broken: { kind: "ref", name: "Missing" },
  },
}

/** The fault of `value` as an anonymous `type`, found through a one-field wrapper named `T`. */
function faultAs(type: TypeDescriptor, value: unknown) {
  const wrapped: SchemaDescriptor = {
    ...schema,
    types: { ...schema.types, T: { kind: "struct", fields: [{ name: "v", type }] } },
  }
  return findEncodeFault(wrapped, "T", { v: value })
}
const reasonAs = (type: TypeDescriptor, value: unknown) => faultAs(type, value)?.reason

describe("findEncodeFault", () => {
  it("finds nothing wrong with a value that encodes", () => {
    expect(findEncodeFault(schema, "Event", { tag: "Moved", val: { x: -1, y: 2 } })).toBeUndefined()
    expect(findEncodeFault(schema, "Event", { tag: "Closed", val: null })).toBeUndefined()
    expect(findEncodeFault(schema, "Port", 65535)).toBeUndefined()
  })

  it("names an unknown type where it is referred to", () => {
    expect(findEncodeFault(schema, "Broken", 1)).toEqual({
      path: "Broken",
      value: 1,
      reason: "unknown type Missing",
    })
    expect(findEncodeFault(schema, "Nothing", 1)?.reason).toBe("unknown type Nothing")
  })

  it("takes only true and false for a bool", () => {
    expect(reasonAs({ kind: "bool" }, true)).toBeUndefined()
    expect(reasonAs({ kind: "bool" }, false)).toBeUndefined()
    expect(reasonAs({ kind: "bool" }, 1)).toBe("expected bool, got 1")
    expect(reasonAs({ kind: "bool" }, "true")).toBe('expected bool, got "true"')
  })

  it("takes an integer in its type's range, and names a named integer type", () => {
    for (const [kind, good, bad] of [
      ["u8", 255, 256],
      ["u16", 0, -1],
      ["u32", 0xffff_ffff, 0x1_0000_0000],
      ["i8", -128, -129],
      ["i16", 32767, 32768],
      ["i32", -0x8000_0000, 1.5],
    ] as const) {
      expect(reasonAs({ kind }, good), `${kind} ${good}`).toBeUndefined()
      expect(reasonAs({ kind }, bad)).toBe(`expected ${kind}, got ${bad}`)
    }
    expect(findEncodeFault(schema, "Port", 70000)).toEqual({
      path: "Port",
      value: 70000,
      reason: "expected u16 (Port), got 70000",
    })
  })

  it("takes a bigint in range for 64-bit and variable-length integers, never a number", () => {
    for (const [kind, good, bad] of [
      ["u64", 2n ** 64n - 1n, -1n],
      ["uint", 0n, 2n ** 64n],
      ["i64", -(2n ** 63n), 2n ** 63n],
      ["int", 2n ** 63n - 1n, -(2n ** 63n) - 1n],
    ] as const) {
      expect(reasonAs({ kind }, good)).toBeUndefined()
      expect(reasonAs({ kind }, bad)).toBe(`expected ${kind}, got ${bad}n`)
    }
    expect(reasonAs({ kind: "u64" }, 1)).toBe("expected u64, got 1")
  })

  it("takes any number for a float, NaN included, and nothing else", () => {
    expect(reasonAs({ kind: "f32" }, Number.NaN)).toBeUndefined()
    expect(reasonAs({ kind: "f64" }, -0.5)).toBeUndefined()
    expect(reasonAs({ kind: "f64" }, 1n)).toBe("expected f64, got 1n")
    expect(reasonAs({ kind: "f32" }, "1")).toBe('expected f32, got "1"')
  })

  it("takes a string UTF-8 can carry, and says why a lone surrogate is refused", () => {
    expect(reasonAs({ kind: "str" }, "é😀")).toBeUndefined()
    expect(reasonAs({ kind: "str" }, 5)).toBe("expected str, got 5")
    expect(reasonAs({ kind: "str" }, "a\ud800")).toBe(
      'expected str, got "a\\ud800" (a lone surrogate, which UTF-8 cannot carry)',
    )
  })

  it("takes null or undefined for void", () => {
    expect(reasonAs({ kind: "void" }, null)).toBeUndefined()
    expect(reasonAs({ kind: "void" }, undefined)).toBeUndefined()
    expect(reasonAs({ kind: "void" }, 0)).toBe("expected void, got 0")
  })

  it("takes a buffer or any view for data, of the fixed length when it has one", () => {
    expect(reasonAs({ kind: "data" }, new ArrayBuffer(3))).toBeUndefined()
    expect(reasonAs({ kind: "data" }, new DataView(new ArrayBuffer(2)))).toBeUndefined()
    expect(reasonAs({ kind: "data" }, "abc")).toBe('expected data, got "abc"')
    expect(reasonAs({ kind: "data" }, [1, 2])).toBe("expected data, got an array of 2")
    expect(findEncodeFault(schema, "Id", new Uint8Array(4))).toBeUndefined()
    expect(findEncodeFault(schema, "Id", new Uint8Array(3))?.reason).toBe(
      "expected data[4] (Id), got a Uint8Array of 3 bytes",
    )
    expect(reasonAs({ kind: "data", length: 2 }, new ArrayBuffer(5))).toBe(
      "expected data[2], got an ArrayBuffer of 5 bytes",
    )
  })

  it("takes null for an optional, refuses undefined, and checks anything else as its type", () => {
    const optional: TypeDescriptor = { kind: "optional", of: { kind: "ref", name: "Port" } }
    expect(reasonAs(optional, null)).toBeUndefined()
    expect(reasonAs(optional, 80)).toBeUndefined()
    expect(reasonAs(optional, undefined)).toBe("expected optional<Port>, got undefined")
    expect(faultAs(optional, -1)).toEqual({
      path: "T.v",
      value: -1,
      reason: "expected u16 (Port), got -1",
    })
  })

  it("checks a list, its fixed length, and points at the first bad item", () => {
    const list: TypeDescriptor = { kind: "list", of: { kind: "u8" } }
    expect(reasonAs(list, [])).toBeUndefined()
    expect(reasonAs(list, new Uint8Array(2))).toBe("expected list<u8>, got a Uint8Array of 2 bytes")
    expect(faultAs(list, [1, 300, -1])).toEqual({
      path: "T.v[1]",
      value: 300,
      reason: "expected u8, got 300",
    })
    const pair: TypeDescriptor = { kind: "list", of: { kind: "u8" }, length: 2 }
    expect(reasonAs(pair, [1, 2])).toBeUndefined()
    expect(reasonAs(pair, [1, 2, 3])).toBe("expected list<u8>[2], got an array of 3")
  })

  it("checks a map's keys and values, saying which entry and whether its key is wrong", () => {
    const map: TypeDescriptor = { kind: "map", key: { kind: "str" }, value: { kind: "u8" } }
    expect(reasonAs(map, new Map([["a", 1]]))).toBeUndefined()
    expect(reasonAs(map, { a: 1 })).toBe("expected map<str><u8>, got an object")
    expect(
      faultAs(
        map,
        new Map<unknown, unknown>([
          ["a", 1],
          [7, 2],
        ]),
      ),
    ).toEqual({ path: "T.v.get(7) (key)", value: 7, reason: "expected str, got 7" })
    expect(
      faultAs(
        map,
        new Map([
          ["a", 1],
          ["b", 999],
        ]),
      ),
    ).toEqual({ path: 'T.v.get("b")', value: 999, reason: "expected u8, got 999" })
  })

  it("checks a struct's fields in order and names a missing one", () => {
    expect(findEncodeFault(schema, "Point", { x: 1, y: 200 })).toEqual({
      path: "Point.y",
      value: 200,
      reason: "expected i8, got 200",
    })
    expect(findEncodeFault(schema, "Point", { x: "a", y: "b" })?.path).toBe("Point.x")
    expect(findEncodeFault(schema, "Point", { x: 1 })).toEqual({
      path: "Point.y",
      value: undefined,
      reason: "expected i8, got undefined",
    })
    expect(findEncodeFault(schema, "Point", null)?.reason).toBe(
      "expected struct { x: i8, y: i8 } (Point), got null",
    )
    expect(findEncodeFault(schema, "Point", 3)?.reason).toBe(
      "expected struct { x: i8, y: i8 } (Point), got 3",
    )
  })

  it("checks a union's tag against its members' names, then the value as that member", () => {
    expect(findEncodeFault(schema, "Event", null)).toEqual({
      path: "Event",
      value: null,
      reason: "expected Event (Moved, Closed), got null",
    })
    expect(findEncodeFault(schema, "Event", "Moved")?.reason).toBe(
      'expected Event (Moved, Closed), got "Moved"',
    )
    expect(findEncodeFault(schema, "Event", { tag: "Opened", val: null })).toEqual({
      path: "Event.tag",
      value: "Opened",
      reason: 'expected a tag of Event (Moved, Closed), got "Opened"',
    })
    expect(findEncodeFault(schema, "Event", { tag: "Moved", val: { x: 1, y: 999 } })).toEqual({
      path: "Event.val.y",
      value: 999,
      reason: "expected i8, got 999",
    })
    const anonymous: TypeDescriptor = {
      kind: "union",
      members: [{ tag: 3, name: 3, type: { kind: "bool" } }],
    }
    expect(faultAs(anonymous, { tag: 4, val: true })?.reason).toBe(
      "expected a tag of union (3), got 4",
    )
    expect(reasonAs(anonymous, { tag: 3, val: true })).toBeUndefined()
  })

  it("takes an enum value's name, and lists the names it takes", () => {
    expect(findEncodeFault(schema, "Color", "GREEN")).toBeUndefined()
    expect(findEncodeFault(schema, "Color", 1)?.reason).toBe(
      'expected Color ("RED", "GREEN"), got 1',
    )
    const anonymous: TypeDescriptor = { kind: "enum", values: [{ name: "ON", value: 1 }] }
    expect(reasonAs(anonymous, "OFF")).toBe('expected enum ("ON"), got "OFF"')
  })
})
