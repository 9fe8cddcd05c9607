// Redacting a whole value: secrets are found wherever the schema puts a string map or a `path`,
// the value given is never changed, and a value without secrets comes back as the same object.
import { describe, expect, it } from "vitest"
import type { SchemaDescriptor } from "../src/descriptor.js"
import { redactValue } from "../src/redact-value.js"

const headers = { kind: "map", key: { kind: "str" }, value: { kind: "str" } } as const

const SCHEMA: SchemaDescriptor = {
  version: 9,
  roots: ["Request"],
  types: {
    Request: {
      kind: "struct",
      fields: [
        { name: "path", type: { kind: "str" } },
        { name: "route", type: { kind: "str" } },
        { name: "headers", type: headers },
        { name: "extra", type: { kind: "optional", of: { kind: "ref", name: "Headers" } } },
        { name: "batches", type: { kind: "list", of: { kind: "ref", name: "Headers" } } },
        {
          name: "byId",
          type: { kind: "map", key: { kind: "u8" }, value: { kind: "ref", name: "Headers" } },
        },
        { name: "inner", type: { kind: "ref", name: "Inner" } },
      ],
    },
    Headers: headers,
    Inner: {
      kind: "union",
      members: [
        { tag: 0, name: "Open", type: { kind: "ref", name: "Open" } },
        { tag: 1, name: "Close", type: { kind: "void" } },
      ],
    },
    Open: {
      kind: "struct",
      fields: [{ name: "path", type: { kind: "optional", of: { kind: "str" } } }],
    },
  },
}

const clean = () => ({
  path: "/chat?room=1",
  route: "/chat?token=visible",
  headers: new Map([["accept", "*/*"]]),
  extra: null,
  batches: [new Map([["accept", "*/*"]])],
  byId: new Map([[1, new Map([["accept", "*/*"]])]]),
  inner: { tag: "Open", val: { path: null } },
})

const redact = (value: unknown) => redactValue(SCHEMA, "Request", value)

describe("redacting a value", () => {
  it("gives back a value without secrets as the same object", () => {
    const value = clean()
    expect(redact(value)).toBe(value)
    const closed = { ...clean(), inner: { tag: "Close", val: null } }
    expect(redact(closed)).toBe(closed)
  })

  it("redacts only fields named path; other strings stay as they are", () => {
    const value = { ...clean(), path: "/chat?token=t0k" }
    expect(redact(value)).toMatchObject({
      path: "/chat?token=<redacted>",
      route: "/chat?token=visible",
    })
    expect(value.path).toBe("/chat?token=t0k")
  })

  it("redacts header maps at the top, in optionals, in lists and as map values, copying only those", () => {
    const secret = () =>
      new Map([
        ["authorization", "Bearer x"],
        ["accept", "*/*"],
      ])
    const value = {
      ...clean(),
      headers: secret(),
      extra: secret(),
      batches: [clean().batches[0]!, secret()],
      byId: new Map([[7, secret()]]),
    }
    const redacted = redact(value) as ReturnType<typeof clean>
    const hidden = new Map([
      ["authorization", "<redacted>"],
      ["accept", "*/*"],
    ])
    expect(redacted.headers).toEqual(hidden)
    expect(redacted.extra).toEqual(hidden)
    expect(redacted.batches).toEqual([new Map([["accept", "*/*"]]), hidden])
    expect(redacted.batches[0]).toBe(value.batches[0])
    expect(redacted.byId).toEqual(new Map([[7, hidden]]))
    expect(redacted.inner).toBe(value.inner)
    expect(value.headers.get("authorization")).toBe("Bearer x")
    expect(value.batches[1]!.get("authorization")).toBe("Bearer x")
  })

  it("hides every secret of one map, not only the last", () => {
    const value = {
      ...clean(),
      headers: new Map([
        ["authorization", "Bearer x"],
        ["accept", "*/*"],
        ["cookie", "c=1"],
      ]),
    }
    expect((redact(value) as ReturnType<typeof clean>).headers).toEqual(
      new Map([
        ["authorization", "<redacted>"],
        ["accept", "*/*"],
        ["cookie", "<redacted>"],
      ]),
    )
  })

  it("redacts inside a union member, keeping the tag", () => {
    const value = { ...clean(), inner: { tag: "Open", val: { path: "/ws?secret=s" } } }
    expect((redact(value) as ReturnType<typeof clean>).inner).toEqual({
      tag: "Open",
      val: { path: "/ws?secret=<redacted>" },
    })
  })

  it("leaves a union member the schema does not know as it is", () => {
    const value = { ...clean(), inner: { tag: "Teleport", val: { path: "/ws?secret=s" } } }
    expect(redact(value)).toBe(value)
  })
})

describe("only a map of strings to strings is read as headers", () => {
  const maps: SchemaDescriptor = {
    version: 1,
    roots: [],
    types: {
      Counts: { kind: "map", key: { kind: "str" }, value: { kind: "u8" } },
      Names: { kind: "map", key: { kind: "u8" }, value: { kind: "str" } },
    },
  }

  it("leaves a map of strings to numbers as it is, even under a secret's name", () => {
    const counts = new Map([["token", 3]])
    expect(redactValue(maps, "Counts", counts)).toBe(counts)
    expect([...counts]).toEqual([["token", 3]])
  })

  it("leaves a map of numbers to strings as it is", () => {
    const names = new Map([[1, "Bearer abc"]])
    expect(redactValue(maps, "Names", names)).toBe(names)
  })
})
