// Looking types up in a schema descriptor: references followed to the type they name, and a
// name the schema lacks refused with the version and the name.
import { describe, expect, it } from "vitest"
import { namedType, resolveType, type SchemaDescriptor } from "../src/descriptor.js"

const schema: SchemaDescriptor = {
  version: 4,
  roots: ["Alias"],
  types: {
    Alias: { kind: "ref", name: "Id" },
    Id: { kind: "data", length: 16 },
    Dangling: { kind: "ref", name: "Gone" },
  },
}

describe("resolveType", () => {
  it("follows references until a type that is not one", () => {
    expect(resolveType(schema, { kind: "ref", name: "Alias" })).toEqual({
      kind: "data",
      length: 16,
    })
  })

  it("returns a type that is not a reference as it is", () => {
    const type = { kind: "str" } as const
    expect(resolveType(schema, type)).toBe(type)
  })

  it("refuses a reference to a type the schema lacks, naming it and the version", () => {
    expect(() => resolveType(schema, { kind: "ref", name: "Dangling" })).toThrow(
      new Error("v4: unknown type Gone"),
    )
  })
})

describe("namedType", () => {
  it("returns a named type without resolving it", () => {
    expect(namedType(schema, "Alias")).toEqual({ kind: "ref", name: "Id" })
  })

  it("refuses a name the schema lacks, naming it and the version", () => {
    expect(() => namedType(schema, "Missing")).toThrow(new Error("v4 has no type named Missing"))
  })
})
