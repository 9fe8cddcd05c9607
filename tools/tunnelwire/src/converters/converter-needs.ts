import { typeText } from "@tunnelwire/runtime"
import { diffFields } from "../diff/field-diff.ts"
import { relateTypes } from "../diff/type-relation.ts"
import type { FieldDescriptor, SchemaDescriptor, TypeDescriptor } from "../schema/model.ts"
import { classifyTypeEvolution } from "../schema/type-evolution.ts"

/**
 * What converting one type between adjacent versions involves, read off the two schemas: the
 * generator converts `union-members` types itself; `changed` ones a person writes.
 */
export interface ConverterNeeds {
  readonly type: string
  readonly evolution: "changed" | "union-members"
  /** Fields only the newer version has: an upgrade fills them, a downgrade drops them. */
  readonly newerOnlyFields: readonly FieldDescriptor[]
  /** Fields only the older version has: an upgrade drops them, a downgrade fills them. */
  readonly olderOnlyFields: readonly FieldDescriptor[]
  readonly renamedFields: readonly { readonly from: string; readonly to: string }[]
  readonly retypedFields: readonly {
    readonly name: string
    readonly before: string
    readonly after: string
  }[]
  /** Set when the type is not a struct (or void) on both sides: its whole shape changed. */
  readonly reshaped: { readonly before: string; readonly after: string } | undefined
  /** Union members only the newer version has: no downgrade can represent them. */
  readonly newerOnlyMembers: readonly string[]
  /** Union members only the older version has: no upgrade can represent them. */
  readonly olderOnlyMembers: readonly string[]
}

/** The needs of every type whose own shape changed between `older` and `newer`. */
export function converterNeeds(older: SchemaDescriptor, newer: SchemaDescriptor): ConverterNeeds[] {
  const context = { older, newer, renames: new Map<string, string>() }
  const relate = (a: TypeDescriptor, b: TypeDescriptor) => relateTypes(context, a, b)
  const needs: ConverterNeeds[] = []
  for (const [type, evolution] of classifyTypeEvolution(older, newer)) {
    if (evolution !== "changed" && evolution !== "union-members") continue
    const before = older.types[type]!
    const after = newer.types[type]!
    const beforeFields = fieldsOf(before)
    const afterFields = fieldsOf(after)
    const fields =
      beforeFields !== undefined && afterFields !== undefined
        ? diffFields(beforeFields, afterFields, relate)
        : undefined
    needs.push({
      type,
      evolution,
      newerOnlyFields: fields?.added.map((placed) => placed.field) ?? [],
      olderOnlyFields: fields?.removed.map((placed) => placed.field) ?? [],
      renamedFields: fields?.renamed.map((r) => ({ from: r.from.name, to: r.to.name })) ?? [],
      retypedFields:
        fields?.retyped.map((r) => ({
          name: r.name,
          before: typeText(r.before),
          after: typeText(r.after),
        })) ?? [],
      reshaped:
        fields === undefined ? { before: typeText(before), after: typeText(after) } : undefined,
      newerOnlyMembers: membersOnlyIn(after, before),
      olderOnlyMembers: membersOnlyIn(before, after),
    })
  }
  return needs
}

/** A struct's fields; void is a struct with none. */
function fieldsOf(type: TypeDescriptor): readonly FieldDescriptor[] | undefined {
  if (type.kind === "struct") return type.fields
  return type.kind === "void" ? [] : undefined
}

function membersOnlyIn(type: TypeDescriptor, other: TypeDescriptor): string[] {
  if (type.kind !== "union") return []
  const names = new Set(other.kind === "union" ? other.members.map((m) => String(m.name)) : [])
  return type.members.map((m) => String(m.name)).filter((name) => !names.has(name))
}
