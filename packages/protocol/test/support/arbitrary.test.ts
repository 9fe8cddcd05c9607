import { resolveType, type SchemaDescriptor, type TypeDescriptor } from "@tunnelwire/runtime"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { PROTOCOL_VERSIONS, schemas } from "../../src/index.js"
import { arbitraryOf } from "./arbitrary.js"

/** Enough that a member three unions deep (about 1 in 100 values) is missed with odds below 1e-8. */
const SAMPLES = { numRuns: 2000, seed: 20_251_101 }

/** What a walk over generated values saw: union members and enum values by type, and extremes. */
interface Seen {
  readonly choices: Set<string>
  readonly fixedLengthViolations: string[]
  nonAsciiStrings: number
  bigintsBeyondDoubles: number
  presentOptionals: number
  absentOptionals: number
  multiEntryMaps: number
}

describe.each(PROTOCOL_VERSIONS)("arbitraryOf, v%i", (version) => {
  const schema = schemas[version]
  const seen: Seen = {
    choices: new Set(),
    fixedLengthViolations: [],
    nonAsciiStrings: 0,
    bigintsBeyondDoubles: 0,
    presentOptionals: 0,
    absentOptionals: 0,
    multiEntryMaps: 0,
  }
  for (const root of schema.roots) {
    for (const value of fc.sample(arbitraryOf(schema, root), SAMPLES)) {
      walk(schema, { kind: "ref", name: root }, value, root, seen)
    }
  }

  it("reaches every member of every union and every value of every enum", () => {
    const expected = new Set<string>()
    for (const [name, type] of Object.entries(schema.types)) collectChoices(type, name, expected)
    expect([...expected].filter((choice) => !seen.choices.has(choice))).toEqual([])
  })

  it("gives fixed-length data exactly its length", () => {
    expect(seen.fixedLengthViolations).toEqual([])
  })

  it("produces non-ASCII strings, 64-bit extremes, both kinds of optional and real maps", () => {
    expect(seen.nonAsciiStrings).toBeGreaterThan(0)
    expect(seen.bigintsBeyondDoubles).toBeGreaterThan(0)
    expect(seen.presentOptionals).toBeGreaterThan(0)
    expect(seen.absentOptionals).toBeGreaterThan(0)
    expect(seen.multiEntryMaps).toBeGreaterThan(0)
  })
})

/** Every `Type.Member` and `Enum.Value` a schema declares, inline types named by their owner. */
function collectChoices(type: TypeDescriptor, owner: string, into: Set<string>): void {
  switch (type.kind) {
    case "union":
      for (const member of type.members) {
        into.add(`${owner}.${member.name}`)
        collectChoices(member.type, `${owner}.${member.name}`, into)
      }
      return
    case "enum":
      for (const value of type.values) into.add(`${owner}.${value.name}`)
      return
    case "struct":
      for (const field of type.fields) collectChoices(field.type, `${owner}.${field.name}`, into)
      return
    case "optional":
    case "list":
      collectChoices(type.of, owner, into)
      return
    case "map":
      collectChoices(type.key, owner, into)
      collectChoices(type.value, owner, into)
      return
    default:
      return
  }
}

function walk(
  schema: SchemaDescriptor,
  type: TypeDescriptor,
  value: unknown,
  owner: string,
  seen: Seen,
): void {
  const named = type.kind === "ref" ? type.name : owner
  const resolved = resolveType(schema, type)
  switch (resolved.kind) {
    case "str":
      if ([...(value as string)].some((c) => c.codePointAt(0)! > 0x7f)) seen.nonAsciiStrings++
      return
    case "u64":
    case "i64":
    case "uint":
    case "int":
      if ((value as bigint) > BigInt(Number.MAX_SAFE_INTEGER)) seen.bigintsBeyondDoubles++
      return
    case "enum":
      seen.choices.add(`${named}.${String(value)}`)
      return
    case "data":
      if (resolved.length !== undefined && (value as ArrayBuffer).byteLength !== resolved.length) {
        seen.fixedLengthViolations.push(`${named}: ${(value as ArrayBuffer).byteLength} bytes`)
      }
      return
    case "optional":
      if (value === null) {
        seen.absentOptionals++
      } else {
        seen.presentOptionals++
        walk(schema, resolved.of, value, named, seen)
      }
      return
    case "list":
      for (const item of value as unknown[]) walk(schema, resolved.of, item, named, seen)
      return
    case "map": {
      const map = value as Map<unknown, unknown>
      if (map.size > 1) seen.multiEntryMaps++
      for (const [key, entry] of map) {
        walk(schema, resolved.key, key, named, seen)
        walk(schema, resolved.value, entry, named, seen)
      }
      return
    }
    case "struct": {
      const record = value as Record<string, unknown>
      for (const field of resolved.fields) {
        walk(schema, field.type, record[field.name], `${named}.${field.name}`, seen)
      }
      return
    }
    case "union": {
      const { tag, val } = value as { tag: string | number; val: unknown }
      seen.choices.add(`${named}.${String(tag)}`)
      const member = resolved.members.find((m) => m.name === tag)
      if (member !== undefined) walk(schema, member.type, val, `${named}.${String(tag)}`, seen)
      return
    }
    default:
      return
  }
}
