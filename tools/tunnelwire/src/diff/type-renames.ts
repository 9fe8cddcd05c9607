import type { SchemaDescriptor, TypeDescriptor } from "../schema/model.ts"
import { sameShape } from "../schema/type-evolution.ts"

/**
 * Named types that were only renamed: a type only the older version has, whose shape exactly one
 * type only the newer version has (with references to renamed types followed). Older name → newer.
 */
export function findRenamedTypes(
  older: SchemaDescriptor,
  newer: SchemaDescriptor,
): Map<string, string> {
  const removed = Object.keys(older.types).filter((name) => newer.types[name] === undefined)
  const added = Object.keys(newer.types).filter((name) => older.types[name] === undefined)
  const renames = new Map<string, string>()
  // Renaming a type renames the references to it, so one found rename can reveal another.
  for (let found = true; found; ) {
    found = false
    const taken = new Set(renames.values())
    for (const name of removed) {
      if (renames.has(name)) continue
      const shape = withRenames(older.types[name]!, renames)
      const candidates = added.filter(
        (candidate) => !taken.has(candidate) && sameShape(shape, newer.types[candidate]!),
      )
      // A rename only when the pairing is unique both ways: two removed void types and one
      // added one (v4 dropped TunnelAck and ToClientClose, added ToRunnerClose) are no rename.
      const rivals = removed.filter(
        (other) =>
          other !== name &&
          !renames.has(other) &&
          candidates.length === 1 &&
          sameShape(withRenames(older.types[other]!, renames), newer.types[candidates[0]!]!),
      )
      if (candidates.length === 1 && rivals.length === 0) {
        renames.set(name, candidates[0]!)
        taken.add(candidates[0]!)
        found = true
      }
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
