import type { SchemaDescriptor, TypeDescriptor } from "../schema/model.ts"
import { sameShape } from "../schema/type-evolution.ts"

/**
 * Named types that were only renamed. A type only the older version has is renamed to a type only
 * the newer version has when the match is unique both ways: no other added type has its shape,
 * and no other removed type has the added one's (references to renamed types followed). A `void`
 * type is never matched on shape alone: every void type has the same shape, so the match would
 * say nothing (a void union member that changed name is still reported, at its tag, by the
 * union's own rules). Older name → newer.
 */
export function findRenamedTypes(
  older: SchemaDescriptor,
  newer: SchemaDescriptor,
): Map<string, string> {
  const removed = Object.keys(older.types).filter(
    (name) => newer.types[name] === undefined && older.types[name]!.kind !== "void",
  )
  const added = Object.keys(newer.types).filter(
    (name) => older.types[name] === undefined && newer.types[name]!.kind !== "void",
  )
  const renames = new Map<string, string>()
  // Renaming a type renames the references to it, so one found rename can reveal another.
  for (let found = true; found; ) {
    found = false
    const taken = new Set(renames.values())
    const open = removed.filter((name) => !renames.has(name))
    const matching = (name: string, candidate: string) =>
      sameShape(withRenames(older.types[name]!, renames), newer.types[candidate]!)
    for (const name of open) {
      const candidates = added.filter((c) => !taken.has(c) && matching(name, c))
      if (candidates.length !== 1) continue
      const candidate = candidates[0]!
      if (open.filter((other) => matching(other, candidate)).length !== 1) continue
      renames.set(name, candidate)
      taken.add(candidate)
      found = true
    }
  }
  return renames
}

/** An older type with its references (and the union member names that follow them) renamed. */
export function withRenames(
  type: TypeDescriptor,
  renames: ReadonlyMap<string, string>,
): TypeDescriptor {
  if (renames.size === 0) return type
  switch (type.kind) {
    case "ref":
      return { kind: "ref", name: renames.get(type.name) ?? type.name }
    case "optional":
      return { kind: "optional", of: withRenames(type.of, renames) }
    case "list":
      return { ...type, of: withRenames(type.of, renames) }
    case "map":
      return {
        kind: "map",
        key: withRenames(type.key, renames),
        value: withRenames(type.value, renames),
      }
    case "struct":
      return {
        kind: "struct",
        fields: type.fields.map((field) => ({ ...field, type: withRenames(field.type, renames) })),
      }
    case "union":
      return {
        kind: "union",
        members: type.members.map((member) => ({
          tag: member.tag,
          name:
            typeof member.name === "string"
              ? (renames.get(member.name) ?? member.name)
              : member.name,
          type: withRenames(member.type, renames),
        })),
      }
    default:
      return type
  }
}
