import type { SchemaDescriptor, TypeDescriptor } from "./model.ts"

/**
 * How one named type evolved between two schema versions, as far as converting values goes:
 * - `identical`: same shape all the way down; a value passes through as it is.
 * - `structural`: same own shape, but a type it refers to changed; the generator rebuilds it.
 * - `union-members`: a union whose shared members keep their names; members only one side has
 *   are unrepresentable on the other. The generator converts it member by member.
 * - `changed`: anything else; a hand-written converter is required in each direction.
 * - `added` / `removed`: only the newer / only the older version has it.
 */
export type TypeEvolution =
  | "identical"
  | "structural"
  | "union-members"
  | "changed"
  | "added"
  | "removed"

export function classifyTypeEvolution(
  older: SchemaDescriptor,
  newer: SchemaDescriptor,
): Map<string, TypeEvolution> {
  const deepCache = new Map<string, boolean>()

  const deepIdentical = (name: string): boolean => {
    const cached = deepCache.get(name)
    if (cached !== undefined) return cached
    const a = older.types[name]
    const b = newer.types[name]
    if (a === undefined || b === undefined) return false
    // Assume identical while visiting, so recursive types terminate.
    deepCache.set(name, true)
    const result = sameShape(a, b) && referencedNames(a).every(deepIdentical)
    deepCache.set(name, result)
    return result
  }

  const result = new Map<string, TypeEvolution>()
  const names = new Set([...Object.keys(older.types), ...Object.keys(newer.types)])
  for (const name of names) {
    const a = older.types[name]
    const b = newer.types[name]
    if (a === undefined) result.set(name, "added")
    else if (b === undefined) result.set(name, "removed")
    else if (deepIdentical(name)) result.set(name, "identical")
    else if (sameShape(a, b)) result.set(name, "structural")
    else if (evolvedUnionMembers(a, b)) result.set(name, "union-members")
    else result.set(name, "changed")
  }
  return result
}

/** Equal descriptors, comparing references by name only. */
export function sameShape(a: TypeDescriptor, b: TypeDescriptor): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Names of the named types a descriptor refers to directly (inline types included). */
export function referencedNames(type: TypeDescriptor): string[] {
  switch (type.kind) {
    case "ref":
      return [type.name]
    case "optional":
    case "list":
      return referencedNames(type.of)
    case "map":
      return [...referencedNames(type.key), ...referencedNames(type.value)]
    case "struct":
      return type.fields.flatMap((field) => referencedNames(field.type))
    case "union":
      return type.members.flatMap((member) => referencedNames(member.type))
    default:
      return []
  }
}

/** Both unions, and every member both sides share has the same type on each side. */
function evolvedUnionMembers(a: TypeDescriptor, b: TypeDescriptor): boolean {
  if (a.kind !== "union" || b.kind !== "union") return false
  return a.members.every((member) => {
    const counterpart = b.members.find((other) => other.name === member.name)
    return counterpart === undefined || sameShape(member.type, counterpart.type)
  })
}
