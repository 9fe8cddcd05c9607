import type { SchemaDescriptor, TypeDescriptor } from "../schema/model.ts"

/**
 * How the bytes of an older type relate to the bytes of the newer type that replaced it:
 * - `same`: same bytes, same values, same TypeScript type.
 * - `same-encoding-retyped`: same bytes and values, another TypeScript type (`data` ↔ `list<u8>`).
 * - `narrowed`: same encoding, but the newer type rejects some older values (`data` → `str`).
 * - `widened`: same encoding, but the older type rejects some newer values (`str` → `data`).
 * - `reinterpreted`: same encoding, values read differently (`u32` ↔ `i32`).
 * - `optional-added` / `optional-removed`: wrapped in, or unwrapped from, `optional<…>`.
 * - `fixed-length`: a fixed-length `data[N]` or `list<T>[N]` changed its length.
 * - `changed`: any other encoding.
 */
export type TypeRelation =
  | "same"
  | "same-encoding-retyped"
  | "narrowed"
  | "widened"
  | "reinterpreted"
  | "optional-added"
  | "optional-removed"
  | "fixed-length"
  | "changed"

/** Relations under which a reader of one type misreads every value of the other. */
const DIFFERENT_ENCODING: ReadonlySet<TypeRelation> = new Set([
  "optional-added",
  "optional-removed",
  "fixed-length",
  "changed",
])

export function isDifferentEncoding(relation: TypeRelation): boolean {
  return DIFFERENT_ENCODING.has(relation)
}

export interface RelationContext {
  readonly older: SchemaDescriptor
  readonly newer: SchemaDescriptor
  /** Older type name → newer type name, for named types that were only renamed. */
  readonly renames: ReadonlyMap<string, string>
}

/**
 * Relates an older type to a newer one. Two references to the same named type (after renames)
 * are `same`: what changed inside that type is reported where it is declared.
 */
export function relateTypes(
  context: RelationContext,
  older: TypeDescriptor,
  newer: TypeDescriptor,
): TypeRelation {
  return relate(context, older, newer, new Set())
}

function relate(
  context: RelationContext,
  older: TypeDescriptor,
  newer: TypeDescriptor,
  visiting: Set<string>,
): TypeRelation {
  if (older.kind === "ref" && newer.kind === "ref") {
    if ((context.renames.get(older.name) ?? older.name) === newer.name) return "same"
    const pair = `${older.name} ${newer.name}`
    // Recursive types come back to a pair being compared: assume it equal until shown otherwise.
    if (visiting.has(pair)) return "same"
    visiting.add(pair)
  }
  const a = resolve(context.older, older)
  const b = resolve(context.newer, newer)
  if (a.kind === "optional" && b.kind === "optional") return relate(context, a.of, b.of, visiting)
  if (a.kind === "optional") {
    return isDifferentEncoding(relate(context, a.of, newer, visiting))
      ? "changed"
      : "optional-removed"
  }
  if (b.kind === "optional") {
    return isDifferentEncoding(relate(context, older, b.of, visiting))
      ? "changed"
      : "optional-added"
  }
  // A struct is the concatenation of its fields, and void is nothing: compare what is written.
  const left = flatten(context.older, a)
  const right = flatten(context.newer, b)
  if (left.length !== right.length) return "changed"
  const relation = left
    .map((item, i) => relateWritten(context, item, right[i]!, visiting))
    .reduce(combineRelations, "same")
  return relation === "same" && !sameStructure(a, b) ? "same-encoding-retyped" : relation
}

/** Combines the relations of two parts of one value: the worse one wins, in each direction. */
function combineRelations(a: TypeRelation, b: TypeRelation): TypeRelation {
  if (isDifferentEncoding(a) && isDifferentEncoding(b)) return a === b ? a : "changed"
  if (isDifferentEncoding(a)) return a
  if (isDifferentEncoding(b)) return b
  const oldReaderAtRisk = [a, b].some((r) => r === "widened" || r === "reinterpreted")
  const newReaderAtRisk = [a, b].some((r) => r === "narrowed" || r === "reinterpreted")
  if (oldReaderAtRisk && newReaderAtRisk) return "reinterpreted"
  if (oldReaderAtRisk) return "widened"
  if (newReaderAtRisk) return "narrowed"
  return a === "same-encoding-retyped" || b === "same-encoding-retyped"
    ? "same-encoding-retyped"
    : "same"
}

type Resolved = Exclude<TypeDescriptor, { readonly kind: "ref" }>

function resolve(schema: SchemaDescriptor, type: TypeDescriptor): Resolved {
  let current = type
  for (let hops = 0; current.kind === "ref"; hops++) {
    const next = schema.types[current.name]
    if (next === undefined || hops > 1000) throw new Error(`unknown type ${current.name}`)
    current = next
  }
  return current
}

function flatten(schema: SchemaDescriptor, type: Resolved, depth = 0): Resolved[] {
  if (depth > 100) throw new Error("a struct contains itself")
  if (type.kind === "void") return []
  if (type.kind !== "struct") return [type]
  return type.fields.flatMap((field) => flatten(schema, resolve(schema, field.type), depth + 1))
}

/** Whether two same-encoding types also give the same TypeScript shape at the top. */
function sameStructure(a: Resolved, b: Resolved): boolean {
  if (a.kind !== b.kind) return false
  if (a.kind === "struct" && b.kind === "struct") {
    return a.fields.map((f) => f.name).join() === b.fields.map((f) => f.name).join()
  }
  return true
}

/** Relates two types that are each written as one item (neither struct, void nor optional). */
function relateWritten(
  context: RelationContext,
  a: Resolved,
  b: Resolved,
  visiting: Set<string>,
): TypeRelation {
  if (a.kind === "optional" || b.kind === "optional") {
    return relate(context, a, b, visiting)
  }
  const bytesA = byteString(context.older, a)
  const bytesB = byteString(context.newer, b)
  if (bytesA !== undefined && bytesB !== undefined) {
    const length = relateLengths(bytesA.length, bytesB.length)
    if (length !== "same") return length
    if (bytesA.utf8 !== bytesB.utf8) return bytesA.utf8 ? "widened" : "narrowed"
    return a.kind === b.kind ? "same" : "same-encoding-retyped"
  }
  if (a.kind === "list" && b.kind === "list") {
    return combineRelations(
      relateLengths(a.length, b.length),
      relate(context, a.of, b.of, visiting),
    )
  }
  if (a.kind === "map" && b.kind === "map") {
    return combineRelations(
      relate(context, a.key, b.key, visiting),
      relate(context, a.value, b.value, visiting),
    )
  }
  if (a.kind === "union" && b.kind === "union") {
    const sameMembers =
      a.members.length === b.members.length &&
      a.members.every((member, i) => {
        const other = b.members[i]!
        return (
          member.tag === other.tag && relate(context, member.type, other.type, visiting) === "same"
        )
      })
    return sameMembers ? "same" : "changed"
  }
  if (a.kind === "enum" || b.kind === "enum") return relateEnumLike(a, b)
  return relatePrimitives(a.kind, b.kind)
}

function relateLengths(a: number | undefined, b: number | undefined): TypeRelation {
  if (a === b) return "same"
  return a !== undefined && b !== undefined ? "fixed-length" : "changed"
}

/** `data`, `str` and `list<u8>` are all written as a length and bytes (fixed ones without it). */
function byteString(
  schema: SchemaDescriptor,
  type: Resolved,
): { length: number | undefined; utf8: boolean } | undefined {
  if (type.kind === "str") return { length: undefined, utf8: true }
  if (type.kind === "data") return { length: type.length, utf8: false }
  if (type.kind === "list" && resolve(schema, type.of).kind === "u8") {
    return { length: type.length, utf8: false }
  }
  return undefined
}

/** Enums are written as a `uint`; only their sets of values differ. */
function relateEnumLike(a: Resolved, b: Resolved): TypeRelation {
  const values = (type: Resolved): Map<number, string> | undefined => {
    if (type.kind === "enum") return new Map(type.values.map((v) => [v.value, v.name]))
    return type.kind === "uint" ? undefined : new Map()
  }
  const older = values(a)
  const newer = values(b)
  if (older?.size === 0 || newer?.size === 0) return "changed"
  // `undefined` stands for `uint`: every value.
  const oldRejectsSome =
    older !== undefined &&
    (newer === undefined || [...newer].some(([v, name]) => older.get(v) !== name))
  const newRejectsSome =
    newer !== undefined &&
    (older === undefined || [...older].some(([v, name]) => newer.get(v) !== name))
  if (oldRejectsSome && newRejectsSome) return "reinterpreted"
  if (oldRejectsSome) return "widened"
  if (newRejectsSome) return "narrowed"
  return "same"
}

/** How each primitive is written: its family shares an encoding, its domain says how it reads. */
const PRIMITIVE_ENCODING: Readonly<Record<string, { family: string; domain: string }>> = {
  bool: { family: "byte", domain: "bool" },
  u8: { family: "byte", domain: "unsigned" },
  i8: { family: "byte", domain: "signed" },
  u16: { family: "2 bytes", domain: "unsigned" },
  i16: { family: "2 bytes", domain: "signed" },
  u32: { family: "4 bytes", domain: "unsigned" },
  i32: { family: "4 bytes", domain: "signed" },
  f32: { family: "4 bytes", domain: "float" },
  u64: { family: "8 bytes", domain: "unsigned" },
  i64: { family: "8 bytes", domain: "signed" },
  f64: { family: "8 bytes", domain: "float" },
  uint: { family: "varint", domain: "unsigned" },
  int: { family: "varint", domain: "zigzag" },
}

function relatePrimitives(a: string, b: string): TypeRelation {
  if (a === b) return "same"
  const left = PRIMITIVE_ENCODING[a]
  const right = PRIMITIVE_ENCODING[b]
  if (left === undefined || right === undefined || left.family !== right.family) return "changed"
  // A bool is a byte that must be 0 or 1: any other byte type holds more values.
  if (left.domain === "bool") return "widened"
  if (right.domain === "bool") return "narrowed"
  return "reinterpreted"
}
