// A type written as a `.bare` schema writes it: the text error messages and the CLI's findings
// show, so each kind's spelling is pinned here, where the function lives.
import { describe, expect, it } from "vitest"
import type { TypeDescriptor } from "../src/descriptor.js"
import { typeText } from "../src/type-text.js"

describe("typeText", () => {
  it("writes primitives by their BARE name", () => {
    for (const kind of ["bool", "u8", "u64", "uint", "i32", "int", "f64", "str", "void"] as const) {
      expect(typeText({ kind })).toBe(kind)
    }
  })

  it("writes a reference as the name it refers to", () => {
    expect(typeText({ kind: "ref", name: "RequestId" })).toBe("RequestId")
  })

  it("writes data with its length only when it has one", () => {
    expect(typeText({ kind: "data" })).toBe("data")
    expect(typeText({ kind: "data", length: 16 })).toBe("data[16]")
  })

  it("writes optionals, lists and maps around the text of what they hold", () => {
    expect(typeText({ kind: "optional", of: { kind: "str" } })).toBe("optional<str>")
    expect(typeText({ kind: "list", of: { kind: "ref", name: "Event" } })).toBe("list<Event>")
    expect(typeText({ kind: "list", of: { kind: "u8" }, length: 4 })).toBe("list<u8>[4]")
    expect(typeText({ kind: "map", key: { kind: "str" }, value: { kind: "data" } })).toBe(
      "map<str><data>",
    )
  })

  it("nests as deep as the type does", () => {
    const type: TypeDescriptor = {
      kind: "optional",
      of: {
        kind: "list",
        of: { kind: "map", key: { kind: "str" }, value: { kind: "data", length: 4 } },
        length: 2,
      },
    }
    expect(typeText(type)).toBe("optional<list<map<str><data[4]>>[2]>")
  })

  it("writes a struct's fields in order, each with its type", () => {
    expect(
      typeText({
        kind: "struct",
        fields: [
          { name: "id", type: { kind: "data", length: 4 } },
          { name: "tags", type: { kind: "list", of: { kind: "str" } } },
        ],
      }),
    ).toBe("struct { id: data[4], tags: list<str> }")
    expect(typeText({ kind: "struct", fields: [] })).toBe("struct {  }")
  })

  it("writes a union's members with their tags, separated by bars", () => {
    expect(
      typeText({
        kind: "union",
        members: [
          { tag: 0, name: "Ping", type: { kind: "ref", name: "Ping" } },
          { tag: 5, name: 5, type: { kind: "void" } },
        ],
      }),
    ).toBe("union { Ping = 0 | void = 5 }")
  })

  it("writes an enum's values with their numbers, separated by spaces", () => {
    expect(
      typeText({
        kind: "enum",
        values: [
          { name: "OK", value: 0 },
          { name: "ERROR", value: 7 },
        ],
      }),
    ).toBe("enum { OK = 0 ERROR = 7 }")
  })
})
