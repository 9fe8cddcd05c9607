import type { FieldDescriptor, TypeDescriptor } from "../schema/model.ts"
import { isDifferentEncoding, type TypeRelation } from "./type-relation.ts"

export interface PlacedField {
  readonly field: FieldDescriptor
  /** Zero-based position in its struct: BARE writes fields in order, with no names or tags. */
  readonly index: number
}

export interface FieldDiff {
  readonly added: readonly PlacedField[]
  readonly removed: readonly PlacedField[]
  /** A field at the same position under another name, written the same way. */
  readonly renamed: readonly {
    readonly from: FieldDescriptor
    readonly to: FieldDescriptor
    readonly index: number
    readonly relation: TypeRelation
  }[]
  /** Fields both versions have, in another order (names in older and in newer order). */
  readonly reordered: { readonly before: string[]; readonly after: string[] } | undefined
  /** Fields both versions have whose type is written or read differently. */
  readonly retyped: readonly {
    readonly name: string
    readonly before: TypeDescriptor
    readonly after: TypeDescriptor
    readonly relation: TypeRelation
  }[]
}

/** Aligns the fields of an older and a newer struct by name, then by position for renames. */
export function diffFields(
  older: readonly FieldDescriptor[],
  newer: readonly FieldDescriptor[],
  relate: (older: TypeDescriptor, newer: TypeDescriptor) => TypeRelation,
): FieldDiff {
  const newerNames = new Set(newer.map((field) => field.name))
  const olderNames = new Set(older.map((field) => field.name))
  const place = (field: FieldDescriptor, index: number): PlacedField => ({ field, index })
  let olderOnly = older.map(place).filter(({ field }) => !newerNames.has(field.name))
  let newerOnly = newer.map(place).filter(({ field }) => !olderNames.has(field.name))

  const renamed: FieldDiff["renamed"][number][] = []
  for (const gone of olderOnly) {
    const counterpart = newerOnly.find((candidate) => candidate.index === gone.index)
    if (counterpart === undefined) continue
    const relation = relate(gone.field.type, counterpart.field.type)
    if (!isDifferentEncoding(relation)) {
      renamed.push({ from: gone.field, to: counterpart.field, index: gone.index, relation })
    }
  }
  olderOnly = olderOnly.filter(({ field }) => !renamed.some((r) => r.from === field))
  newerOnly = newerOnly.filter(({ field }) => !renamed.some((r) => r.to === field))

  const before = older.filter((field) => newerNames.has(field.name)).map((field) => field.name)
  const after = newer.filter((field) => olderNames.has(field.name)).map((field) => field.name)
  const retyped: FieldDiff["retyped"][number][] = []
  for (const field of older) {
    const counterpart = newer.find((other) => other.name === field.name)
    if (counterpart === undefined) continue
    const relation = relate(field.type, counterpart.type)
    if (relation !== "same") {
      retyped.push({ name: field.name, before: field.type, after: counterpart.type, relation })
    }
  }
  return {
    added: newerOnly,
    removed: olderOnly,
    renamed,
    reordered: before.join() === after.join() ? undefined : { before, after },
    retyped,
  }
}
