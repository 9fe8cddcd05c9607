import { namedType, resolveType, type SchemaDescriptor, type TypeDescriptor } from "./descriptor.js"
import { redactHeader, redactPath } from "./header-redaction.js"

/**
 * `value` with every credential replaced by `<redacted>`: the values of secret entries in
 * string-to-string maps (headers: authorization, cookies, tokens, a token subprotocol) and
 * credential query parameters in `path` fields. Only the parts that change are copied: a value
 * without secrets comes back as the same object, so a caller can tell that nothing was hidden.
 * The result still encodes, so redacted bytes stay decodable.
 */
export function redactValue(schema: SchemaDescriptor, typeName: string, value: unknown): unknown {
  return redact(schema, namedType(schema, typeName), value)
}

function redact(schema: SchemaDescriptor, type: TypeDescriptor, value: unknown): unknown {
  const resolved = resolveType(schema, type)
  switch (resolved.kind) {
    case "optional":
      return value === null || value === undefined ? value : redact(schema, resolved.of, value)
    case "list": {
      const items = value as readonly unknown[]
      const redacted = items.map((item) => redact(schema, resolved.of, item))
      return redacted.some((item, i) => item !== items[i]) ? redacted : value
    }
    case "map": {
      const map = value as ReadonlyMap<unknown, unknown>
      const headers =
        resolveType(schema, resolved.key).kind === "str" &&
        resolveType(schema, resolved.value).kind === "str"
      let copy: Map<unknown, unknown> | undefined
      for (const [key, entry] of map) {
        const redacted = headers
          ? redactHeader(key as string, entry as string)
          : redact(schema, resolved.value, entry)
        if (redacted !== entry) copy ??= new Map(map)
        copy?.set(key, redacted)
      }
      return copy ?? value
    }
    case "struct": {
      const record = value as Readonly<Record<string, unknown>>
      let copy: Record<string, unknown> | undefined
      for (const field of resolved.fields) {
        const fieldValue = record[field.name]
        const redacted =
          field.name === "path" && typeof fieldValue === "string"
            ? redactPath(fieldValue)
            : redact(schema, field.type, fieldValue)
        if (redacted !== fieldValue) {
          copy ??= { ...record }
          copy[field.name] = redacted
        }
      }
      return copy ?? value
    }
    case "union": {
      const { tag, val } = value as { tag: string | number; val: unknown }
      const member = resolved.members.find((m) => m.name === tag)
      if (member === undefined) return value
      const redacted = redact(schema, member.type, val)
      return redacted === val ? value : { tag, val: redacted }
    }
    default:
      return value
  }
}
