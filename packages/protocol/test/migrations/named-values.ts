/**
 * Finding and replacing the values of one named type inside a message, guided by the schema
 * descriptor: what lets a test say "every ToServerWebSocketOpen in this ToServer" for any root.
 */
import { resolveType, type SchemaDescriptor, type TypeDescriptor } from "@tunnelwire/runtime"

/** A value with named properties: a struct, or a union's `{ tag, val }`. */
export type Fields = Readonly<Record<string, unknown>>

export function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

export function fieldsOf(value: unknown): Fields {
  if (!isFields(value)) throw new Error(`expected a struct or union value, got ${String(value)}`)
  return value
}

export interface NamedValue {
  readonly type: string
  readonly value: unknown
}

/**
 * Every value of the named types `typeNames` inside `value` of `root`, in the order written, an
 * outer value before the values inside it.
 */
export function valuesOfTypes(
  schema: SchemaDescriptor,
  root: string,
  value: unknown,
  typeNames: readonly string[],
): NamedValue[] {
  const found: NamedValue[] = []
  replaceValuesOfTypes(schema, root, value, typeNames, (match, type) => {
    found.push({ type, value: match })
    return match
  })
  return found
}

/**
 * `value` of `root` rebuilt with every value of the named types `typeNames` replaced by
 * `replace(it, its type name)`, in the order written, an outer value before the values inside it;
 * everything else is copied as it is.
 */
export function replaceValuesOfTypes(
  schema: SchemaDescriptor,
  root: string,
  value: unknown,
  typeNames: readonly string[],
  replace: (value: unknown, typeName: string) => unknown,
): unknown {
  const visit = (type: TypeDescriptor, value: unknown): unknown => {
    // Outer values first, as a converter meets them, then whatever the replacement holds.
    const matches = type.kind === "ref" && typeNames.includes(type.name)
    const current = matches ? replace(value, type.name) : value
    const resolved = resolveType(schema, type)
    switch (resolved.kind) {
      case "optional":
        return current === null ? null : visit(resolved.of, current)
      case "list":
        return arrayOf(current).map((item) => visit(resolved.of, item))
      case "map":
        return new Map(
          [...mapOf(current)].map(([key, item]) => [
            visit(resolved.key, key),
            visit(resolved.value, item),
          ]),
        )
      case "struct": {
        const fields = fieldsOf(current)
        return Object.fromEntries(
          resolved.fields.map((field) => [field.name, visit(field.type, fields[field.name])]),
        )
      }
      case "union": {
        const { tag, val } = fieldsOf(current)
        const member = resolved.members.find((candidate) => candidate.name === tag)
        if (member === undefined) throw new Error(`v${schema.version}: no union member ${tag}`)
        return { tag, val: visit(member.type, val) }
      }
      default:
        return current
    }
  }
  return visit({ kind: "ref", name: root }, value)
}

export function arrayOf(value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) throw new Error(`expected a list, got ${String(value)}`)
  return value
}

function mapOf(value: unknown): ReadonlyMap<unknown, unknown> {
  if (!(value instanceof Map)) throw new Error(`expected a map, got ${String(value)}`)
  return value
}
