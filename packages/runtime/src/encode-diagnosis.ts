// Why a value cannot be encoded, found by walking the schema descriptor: called only after a
// generated size function refused the value, so its cost never touches a valid message. The
// rules here are the generated checks, stated once more in the descriptor's terms.
import type { ResolvedType, SchemaDescriptor, TypeDescriptor } from "./descriptor.js"
import { inBigintRange, inNumberRange } from "./integer-ranges.js"
import { typeText } from "./type-text.js"

export interface EncodeFault {
  /** Where in the value, such as `Order.val.lines[2].quantity`. */
  readonly path: string
  /** The offending value itself. */
  readonly value: unknown
  /** What was expected and what was found. */
  readonly reason: string
}

/** The first fault in `value` as a `typeName`, or `undefined` when it has none. */
export function findEncodeFault(
  schema: SchemaDescriptor,
  typeName: string,
  value: unknown,
): EncodeFault | undefined {
  return faultIn(schema, { kind: "ref", name: typeName }, value, typeName, undefined)
}

function faultIn(
  schema: SchemaDescriptor,
  type: TypeDescriptor,
  value: unknown,
  path: string,
  named: string | undefined,
): EncodeFault | undefined {
  if (type.kind === "ref") {
    const target = schema.types[type.name]
    if (target === undefined) return { path, value, reason: `unknown type ${type.name}` }
    return faultIn(schema, target, value, path, type.name)
  }
  const refuse = (detail = ""): EncodeFault => ({
    path,
    value,
    reason: `expected ${expectedText(type, named)}, got ${describeValue(value)}${detail}`,
  })
  switch (type.kind) {
    case "bool":
      return value === true || value === false ? undefined : refuse()
    case "u8":
    case "u16":
    case "u32":
    case "i8":
    case "i16":
    case "i32":
      return inNumberRange(type.kind, value) ? undefined : refuse()
    case "u64":
    case "i64":
    case "uint":
    case "int":
      return inBigintRange(type.kind, value) ? undefined : refuse()
    case "f32":
    case "f64":
      return typeof value === "number" ? undefined : refuse()
    case "str":
      if (typeof value !== "string") return refuse()
      return value.isWellFormed()
        ? undefined
        : refuse(" (a lone surrogate, which UTF-8 cannot carry)")
    case "void":
      return value === null || value === undefined ? undefined : refuse()
    case "data": {
      if (!(value instanceof ArrayBuffer || ArrayBuffer.isView(value))) return refuse()
      return type.length === undefined || value.byteLength === type.length ? undefined : refuse()
    }
    case "optional":
      if (value === null) return undefined
      return value === undefined ? refuse() : faultIn(schema, type.of, value, path, undefined)
    case "list": {
      if (!Array.isArray(value)) return refuse()
      if (type.length !== undefined && value.length !== type.length) return refuse()
      for (let i = 0; i < value.length; i++) {
        const fault = faultIn(schema, type.of, value[i], `${path}[${i}]`, undefined)
        if (fault !== undefined) return fault
      }
      return undefined
    }
    case "map": {
      if (!(value instanceof Map)) return refuse()
      for (const [key, entry] of value) {
        const at = `${path}.get(${describeValue(key)})`
        const fault =
          faultIn(schema, type.key, key, `${at} (key)`, undefined) ??
          faultIn(schema, type.value, entry, at, undefined)
        if (fault !== undefined) return fault
      }
      return undefined
    }
    case "struct": {
      if (typeof value !== "object" || value === null) return refuse()
      const fields = value as Record<string, unknown>
      for (const field of type.fields) {
        const fault = faultIn(
          schema,
          field.type,
          fields[field.name],
          `${path}.${field.name}`,
          undefined,
        )
        if (fault !== undefined) return fault
      }
      return undefined
    }
    case "union": {
      if (typeof value !== "object" || value === null) return refuse()
      const { tag, val } = value as { tag?: unknown; val?: unknown }
      const member = type.members.find((m) => m.name === tag)
      if (member === undefined) {
        return {
          path: `${path}.tag`,
          value: tag,
          reason: `expected a tag of ${expectedText(type, named)}, got ${describeValue(tag)}`,
        }
      }
      return faultIn(schema, member.type, val, `${path}.val`, undefined)
    }
    case "enum":
      return type.values.some((v) => v.name === value) ? undefined : refuse()
    default:
      return type satisfies never
  }
}

/** The wire type as a person reads it: `u32`, `data[16] (RequestId)`, `StopCode (Ok, Error)`. */
function expectedText(type: ResolvedType, named: string | undefined): string {
  const text = typeText(type)
  if (type.kind === "union") {
    return `${named ?? "union"} (${type.members.map((m) => m.name).join(", ")})`
  }
  if (type.kind === "enum") {
    return `${named ?? "enum"} (${type.values.map((v) => JSON.stringify(v.name)).join(", ")})`
  }
  return named === undefined ? text : `${text} (${named})`
}

const SHOWN_CHARACTERS = 40

/** A short, one-line description of any JavaScript value. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string": {
      const shown = value.length > SHOWN_CHARACTERS ? `${value.slice(0, SHOWN_CHARACTERS)}…` : value
      return `${JSON.stringify(shown)}${value.length > SHOWN_CHARACTERS ? ` (${value.length} characters)` : ""}`
    }
    case "bigint":
      return `${value}n`
    case "number":
    case "boolean":
    case "undefined":
      return String(value)
    case "symbol":
      return value.toString()
    case "function":
      return "a function"
  }
  if (value === null) return "null"
  if (value instanceof ArrayBuffer) return `an ArrayBuffer of ${value.byteLength} bytes`
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} of ${value.byteLength} bytes`
  }
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (value instanceof Map) return `a Map of ${value.size}`
  if (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer) {
    return `a SharedArrayBuffer of ${value.byteLength} bytes`
  }
  return "an object"
}
