// Which union members and enum values the corpus exercises, read from the schema descriptor so a
// member added by a future version is missed loudly instead of silently.
import { resolveType, type SchemaDescriptor, type TypeDescriptor } from "@tunnelwire/runtime"

/** `Type.Member` for every member of every union and every value of every enum of a version. */
export function wireVariants(schema: SchemaDescriptor): string[] {
  const variants: string[] = []
  for (const [name, type] of Object.entries(schema.types)) {
    if (type.kind === "union") {
      for (const member of type.members) variants.push(`${name}.${member.name}`)
    } else if (type.kind === "enum") {
      for (const value of type.values) variants.push(`${name}.${value.name}`)
    }
  }
  return variants
}

/** The `Type.Member`s of `schema` that no message of `messages` uses, in schema order. */
export function missingVariants(
  schema: SchemaDescriptor,
  messages: readonly { readonly rootType: string; readonly message: unknown }[],
): string[] {
  const used = new Set<string>()
  for (const { rootType, message } of messages) collectVariants(schema, rootType, message, used)
  return wireVariants(schema).filter((variant) => !used.has(variant))
}

/** Adds to `used` the `Type.Member` of every union member and enum value inside `message`. */
export function collectVariants(
  schema: SchemaDescriptor,
  typeName: string,
  message: unknown,
  used: Set<string>,
): void {
  walk(schema, { kind: "ref", name: typeName }, message, used)
}

function walk(
  schema: SchemaDescriptor,
  type: TypeDescriptor,
  value: unknown,
  used: Set<string>,
): void {
  const typeName = type.kind === "ref" ? type.name : "(anonymous)"
  const resolved = resolveType(schema, type)
  switch (resolved.kind) {
    case "union": {
      if (!isRecord(value)) return
      const member = resolved.members.find((m) => m.name === value.tag)
      if (member === undefined) return
      used.add(`${typeName}.${member.name}`)
      walk(schema, member.type, value.val, used)
      return
    }
    case "enum":
      used.add(`${typeName}.${String(value)}`)
      return
    case "struct":
      if (!isRecord(value)) return
      for (const field of resolved.fields) walk(schema, field.type, value[field.name], used)
      return
    case "optional":
      if (value !== null && value !== undefined) walk(schema, resolved.of, value, used)
      return
    case "list":
      if (Array.isArray(value)) for (const item of value) walk(schema, resolved.of, item, used)
      return
    case "map":
      if (!(value instanceof Map)) return
      for (const [key, entry] of value) {
        walk(schema, resolved.key, key, used)
        walk(schema, resolved.value, entry, used)
      }
      return
    default:
      return
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null
}
