import { fromBase64, toBase64 } from "./base64.js"
import { namedType, resolveType, type SchemaDescriptor, type TypeDescriptor } from "./descriptor.js"
import { JsonMappingError } from "./errors.js"
import { fromHex, toHex } from "./hex.js"
import { inBigintRange, inNumberRange } from "./integer-ranges.js"

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue }

/**
 * The lossless JSON form of a value (`JSON.stringify` can take it as it is):
 * - 64-bit and variable-length integers are decimal strings (`"42"`);
 * - `data[N]` (ids) is lowercase hex, other `data` is padded base64;
 * - maps are arrays of `[key, value]` pairs, keeping their order;
 * - unions are `{ "tag": …, "val": … }`, enums their name, `void` and absent optionals `null`;
 * - floats that JSON cannot hold (NaN, ±Infinity, -0) are the strings `"NaN"`, `"Infinity"`,
 *   `"-Infinity"` and `"-0"`.
 */
export function toJsonValue(schema: SchemaDescriptor, typeName: string, value: unknown): JsonValue {
  return toJson(schema, namedType(schema, typeName), value)
}

/** The inverse of {@link toJsonValue}; anything else is a `JsonMappingError` naming its path. */
export function fromJsonValue(schema: SchemaDescriptor, typeName: string, json: unknown): unknown {
  return fromJson(schema, namedType(schema, typeName), json, typeName)
}

function toJson(schema: SchemaDescriptor, type: TypeDescriptor, value: unknown): JsonValue {
  const resolved = resolveType(schema, type)
  switch (resolved.kind) {
    case "void":
      return null
    case "bool":
    case "u8":
    case "u16":
    case "u32":
    case "i8":
    case "i16":
    case "i32":
    case "str":
    case "enum":
      return value as JsonValue
    case "f32":
    case "f64":
      return floatToJson(value as number)
    case "u64":
    case "i64":
    case "uint":
    case "int":
      return (value as bigint).toString()
    case "data": {
      const bytes = new Uint8Array(value as ArrayBuffer)
      return resolved.length === undefined ? toBase64(bytes) : toHex(bytes)
    }
    case "optional":
      return value === null ? null : toJson(schema, resolved.of, value)
    case "list":
      return (value as readonly unknown[]).map((item) => toJson(schema, resolved.of, item))
    case "map":
      return [...(value as ReadonlyMap<unknown, unknown>)].map(([key, entry]) => [
        toJson(schema, resolved.key, key),
        toJson(schema, resolved.value, entry),
      ])
    case "struct": {
      const record = value as Readonly<Record<string, unknown>>
      const out: Record<string, JsonValue> = {}
      for (const field of resolved.fields)
        out[field.name] = toJson(schema, field.type, record[field.name])
      return out
    }
    case "union": {
      const { tag, val } = value as { tag: string | number; val: unknown }
      const member = resolved.members.find((m) => m.name === tag)
      if (member === undefined)
        throw new Error(`v${schema.version}: no union member ${String(tag)}`)
      return { tag, val: toJson(schema, member.type, val) }
    }
    default:
      return resolved satisfies never
  }
}

function fromJson(
  schema: SchemaDescriptor,
  type: TypeDescriptor,
  json: unknown,
  path: string,
): unknown {
  const fail = (reason: string): never => {
    throw new JsonMappingError({ path, version: schema.version, reason })
  }
  const resolved = resolveType(schema, type)
  switch (resolved.kind) {
    case "void":
      return json === null ? null : fail("expected null")
    case "bool":
      return typeof json === "boolean" ? json : fail("expected a boolean")
    case "str":
      return typeof json === "string" ? json : fail("expected a string")
    case "u8":
    case "u16":
    case "u32":
    case "i8":
    case "i16":
    case "i32": {
      return inNumberRange(resolved.kind, json)
        ? json
        : fail(`expected an integer in ${resolved.kind} range`)
    }
    case "f32":
    case "f64":
      return floatFromJson(json) ?? fail("expected a number or NaN, Infinity, -Infinity, -0")
    case "u64":
    case "i64":
    case "uint":
    case "int": {
      if (typeof json !== "string" || !/^-?(0|[1-9]\d*)$/.test(json)) {
        return fail(`expected a decimal string for ${resolved.kind}`)
      }
      const n = BigInt(json)
      return inBigintRange(resolved.kind, n) ? n : fail(`out of ${resolved.kind} range`)
    }
    case "enum":
      return resolved.values.some((v) => v.name === json)
        ? json
        : fail(`expected one of ${resolved.values.map((v) => v.name).join(", ")}`)
    case "data": {
      if (typeof json !== "string") return fail("expected a string")
      const bytes = resolved.length === undefined ? fromBase64(json) : fromHex(json)
      if (bytes === undefined) {
        return fail(resolved.length === undefined ? "expected padded base64" : "expected hex")
      }
      if (resolved.length !== undefined && bytes.length !== resolved.length) {
        return fail(`expected ${resolved.length} bytes, got ${bytes.length}`)
      }
      return bytes.buffer
    }
    case "optional":
      return json === null ? null : fromJson(schema, resolved.of, json, path)
    case "list": {
      if (!Array.isArray(json)) return fail("expected an array")
      if (resolved.length !== undefined && json.length !== resolved.length) {
        return fail(`expected ${resolved.length} items`)
      }
      return json.map((item, i) => fromJson(schema, resolved.of, item, `${path}[${i}]`))
    }
    case "map": {
      if (!Array.isArray(json)) return fail("expected an array of [key, value] pairs")
      const map = new Map<unknown, unknown>()
      json.forEach((pair: unknown, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) fail(`entry ${i} is not a pair`)
        const [rawKey, rawValue] = pair as [unknown, unknown]
        const key = fromJson(schema, resolved.key, rawKey, `${path}[${i}][0]`)
        if (map.has(key)) fail(`duplicate key at entry ${i}`)
        map.set(key, fromJson(schema, resolved.value, rawValue, `${path}[${i}][1]`))
      })
      return map
    }
    case "struct": {
      if (typeof json !== "object" || json === null || Array.isArray(json)) {
        return fail("expected an object")
      }
      const record = json as Record<string, unknown>
      const out: Record<string, unknown> = {}
      for (const field of resolved.fields) {
        if (!Object.hasOwn(record, field.name)) return fail(`missing field ${field.name}`)
        out[field.name] = fromJson(schema, field.type, record[field.name], `${path}.${field.name}`)
      }
      const extra = Object.keys(record).find((key) => !resolved.fields.some((f) => f.name === key))
      return extra === undefined ? out : fail(`unknown field ${extra}`)
    }
    case "union": {
      if (typeof json !== "object" || json === null || !("tag" in json)) {
        return fail('expected { "tag": …, "val": … }')
      }
      const { tag, val } = json as { tag: unknown; val?: unknown }
      const member = resolved.members.find((m) => m.name === tag)
      if (member === undefined) return fail(`unknown tag ${JSON.stringify(tag)}`)
      return { tag, val: fromJson(schema, member.type, val ?? null, `${path}.val`) }
    }
    default:
      return resolved satisfies never
  }
}

function floatToJson(value: number): JsonValue {
  if (Number.isNaN(value)) return "NaN"
  if (Object.is(value, -0)) return "-0"
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity"
  return value
}

const SPECIAL_FLOATS: ReadonlyMap<unknown, number> = new Map([
  ["NaN", Number.NaN],
  ["-0", -0],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
])

function floatFromJson(json: unknown): number | undefined {
  if (typeof json === "number") return json
  return SPECIAL_FLOATS.get(json)
}
