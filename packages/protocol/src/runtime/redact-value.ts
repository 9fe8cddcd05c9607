import { namedType, resolveType, type SchemaDescriptor, type TypeDescriptor } from "./descriptor.js"
import { redactHeader, redactPath } from "./header-redaction.js"

/**
 * A copy of `value` with every credential replaced by `<redacted>`: the values of secret entries
 * in string-to-string maps (headers: authorization, cookies, tokens, a token subprotocol) and
 * credential query parameters in `path` fields. Parts without secrets are shared, not copied.
 * The copy still encodes, so redacted bytes stay decodable.
 */
export function redactValue(schema: SchemaDescriptor, typeName: string, value: unknown): unknown {
  return redact(schema, namedType(schema, typeName), value)
}

function redact(schema: SchemaDescriptor, type: TypeDescriptor, value: unknown): unknown {
  const resolved = resolveType(schema, type)
  switch (resolved.kind) {
    case "optional":
      return value === null || value === undefined ? value : redact(schema, resolved.of, value)
    case "list":
      return (value as readonly unknown[]).map((item) => redact(schema, resolved.of, item))
    case "map": {
      const map = value as ReadonlyMap<unknown, unknown>
      const headers =
        resolveType(schema, resolved.key).kind === "str" &&
        resolveType(schema, resolved.value).kind === "str"
      const copy = new Map<unknown, unknown>()
      for (const [key, entry] of map) {
        copy.set(
          key,
          headers
            ? redactHeader(key as string, entry as string)
            : redact(schema, resolved.value, entry),
        )
      }
      return copy
    }
    case "struct": {
      const record = value as Readonly<Record<string, unknown>>
      const copy: Record<string, unknown> = { ...record }
      for (const field of resolved.fields) {
        const fieldValue = record[field.name]
        copy[field.name] =
          field.name === "path" && typeof fieldValue === "string"
            ? redactPath(fieldValue)
            : redact(schema, field.type, fieldValue)
      }
      return copy
    }
    case "union": {
      const { tag, val } = value as { tag: string | number; val: unknown }
      const member = resolved.members.find((m) => m.name === tag)
      return member === undefined ? value : { tag, val: redact(schema, member.type, val) }
    }
    default:
      return value
  }
}
