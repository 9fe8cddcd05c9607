import { typeText } from "@tunnelwire/runtime"
import type { FieldDescriptor, SourcePosition, TypeDescriptor } from "../schema/model.ts"
import type { ParsedSchema } from "../schema/parse-schema.ts"
import { referencedNames, sameShape } from "../schema/type-evolution.ts"
import { diffFields } from "./field-diff.ts"
import type { SchemaChange, TaggedContainer } from "./schema-change.ts"
import { diffTagged, type TaggedDiff } from "./tagged-diff.ts"
import { relateTypes, type TypeRelation } from "./type-relation.ts"
import { findRenamedTypes, withRenames } from "./type-renames.ts"

export type { SchemaChange, TaggedContainer } from "./schema-change.ts"

export interface SchemaDiff {
  readonly older: ParsedSchema
  readonly newer: ParsedSchema
  readonly changes: readonly SchemaChange[]
}

/** Two schemas being compared, and what every step of the comparison needs. */
interface Comparison {
  readonly older: ParsedSchema
  readonly newer: ParsedSchema
  /** Older type name → newer name, for types that were only renamed. */
  readonly renames: ReadonlyMap<string, string>
  readonly relate: (older: TypeDescriptor, newer: TypeDescriptor) => TypeRelation
  readonly changes: SchemaChange[]
}

export function diffSchemas(older: ParsedSchema, newer: ParsedSchema): SchemaDiff {
  const renames = findRenamedTypes(older.descriptor, newer.descriptor)
  const context = { older: older.descriptor, newer: newer.descriptor, renames }
  const comparison: Comparison = {
    older,
    newer,
    renames,
    relate: (a, b) => relateTypes(context, a, b),
    changes: [],
  }
  compareNamedTypes(comparison)
  for (const [name, before] of Object.entries(older.descriptor.types)) {
    const newName = renames.get(name) ?? name
    const after = newer.descriptor.types[newName]
    if (after === undefined || sameShape(withRenames(before, renames), after)) continue
    if (before.kind === "struct" && after.kind === "struct") {
      compareStructs(comparison, name, newName, before.fields, after.fields)
    } else if (before.kind === "union" && after.kind === "union") {
      compareUnions(comparison, name, newName, before.members, after.members)
    } else if (before.kind === "enum" && after.kind === "enum") {
      const item = (value: { name: string; value: number }) => ({
        name: value.name,
        tag: value.value,
      })
      const diff = diffTagged(before.values.map(item), after.values.map(item), () => true)
      pushTagged(comparison, "enum", name, newName, diff)
    } else {
      const relation = comparison.relate(before, after)
      const at = inNewer(comparison, newName)
      if (relation !== "same")
        comparison.changes.push(retyped(at, newName, false, relation, before, after))
    }
  }
  return { older, newer, changes: comparison.changes }
}

/** Types added, removed or renamed, and types that start or stop travelling on their own. */
function compareNamedTypes(comparison: Comparison): void {
  const { changes, renames } = comparison
  const a = comparison.older.descriptor
  const b = comparison.newer.descriptor
  const renamedTo = new Set(renames.values())
  for (const [from, to] of renames) {
    changes.push({ kind: "type-renamed", at: inNewer(comparison, to), from, to })
  }
  const olderRoots = new Set(a.roots.map((root) => renames.get(root) ?? root))
  for (const root of b.roots) {
    if (olderRoots.has(root)) continue
    const isNew = a.types[root] === undefined && !renamedTo.has(root)
    const why = isNew ? "a new type" : "no type refers to it any more"
    changes.push({ kind: "root-added", at: inNewer(comparison, root), type: root, why })
  }
  for (const root of a.roots) {
    const name = renames.get(root) ?? root
    if (b.roots.includes(name)) continue
    if (b.types[name] === undefined) {
      const at = inOlder(comparison, root)
      changes.push({ kind: "root-removed", at, type: root, why: "the type is gone" })
    } else {
      const by = referrers(b.types, name)
      const why = `${by.join(", ")} now refer${by.length === 1 ? "s" : ""} to it`
      changes.push({ kind: "root-removed", at: inNewer(comparison, name), type: root, why })
    }
  }
  for (const [name, type] of Object.entries(b.types)) {
    if (a.types[name] !== undefined || renamedTo.has(name) || b.roots.includes(name)) continue
    const at = inNewer(comparison, name)
    changes.push({ kind: "type-added", at, type: name, shape: typeText(type) })
  }
  for (const [name, type] of Object.entries(a.types)) {
    if (b.types[name] !== undefined || renames.has(name) || a.roots.includes(name)) continue
    const at = inOlder(comparison, name)
    changes.push({ kind: "type-removed", at, type: name, shape: typeText(type) })
  }
}

function compareStructs(
  comparison: Comparison,
  name: string,
  newName: string,
  before: readonly FieldDescriptor[],
  after: readonly FieldDescriptor[],
): void {
  const { changes } = comparison
  const fields = diffFields(before, after, comparison.relate)
  for (const { field, index } of fields.added) {
    const at = inNewer(comparison, newName, field.name)
    const fieldType = typeText(field.type)
    changes.push({
      kind: "field-added",
      at,
      type: newName,
      field: field.name,
      fieldType,
      index,
      count: after.length,
    })
  }
  for (const { field, index } of fields.removed) {
    const at = inOlder(comparison, name, field.name)
    const fieldType = typeText(field.type)
    changes.push({
      kind: "field-removed",
      at,
      type: newName,
      field: field.name,
      fieldType,
      index,
      count: before.length,
    })
  }
  for (const { from, to, index, relation } of fields.renamed) {
    const at = inNewer(comparison, newName, to.name)
    changes.push({ kind: "field-renamed", at, type: newName, from: from.name, to: to.name, index })
    if (relation !== "same") {
      changes.push(retyped(at, `${newName}.${to.name}`, true, relation, from.type, to.type))
    }
  }
  if (fields.reordered !== undefined) {
    const { before: order, after: reorder } = fields.reordered
    const firstMoved = reorder.find((field, i) => order[i] !== field) ?? reorder[0]!
    const at = inNewer(comparison, newName, firstMoved)
    changes.push({ kind: "fields-reordered", at, type: newName, before: order, after: reorder })
  }
  for (const field of fields.retyped) {
    if (field.relation === "same") continue
    const at = inNewer(comparison, newName, field.name)
    changes.push(
      retyped(at, `${newName}.${field.name}`, true, field.relation, field.before, field.after),
    )
  }
}

type Members = Extract<TypeDescriptor, { readonly kind: "union" }>["members"]

function compareUnions(
  comparison: Comparison,
  name: string,
  newName: string,
  before: Members,
  after: Members,
): void {
  const { renames } = comparison
  const item = (member: Members[number]) => ({ name: String(member.name), tag: member.tag })
  const olderItem = (member: Members[number]) =>
    typeof member.name === "string" && renames.has(member.name)
      ? { name: renames.get(member.name)!, tag: member.tag }
      : item(member)
  const payload = (members: Members, member: string) =>
    members.find((candidate) => String(candidate.name) === member)!.type
  const diff = diffTagged(before.map(olderItem), after.map(item), (x, y) => {
    const relation = comparison.relate(
      payload(before, unrenamed(renames, x.name)),
      payload(after, y.name),
    )
    return relation === "same" || relation === "same-encoding-retyped"
  })
  pushTagged(comparison, "union", name, newName, diff)
  // Members that name a type change where that type is declared; inline ones change here.
  for (const member of after) {
    if (member.type.kind === "ref") continue
    const counterpart = before.find((other) => other.name === member.name)
    if (counterpart === undefined) continue
    const relation = comparison.relate(counterpart.type, member.type)
    if (relation === "same") continue
    const at = inNewer(comparison, newName, String(member.name))
    comparison.changes.push(
      retyped(at, `${newName}.${member.name}`, false, relation, counterpart.type, member.type),
    )
  }
}

/** Records a union's or enum's changes under its newer name, found in the older file by its older name. */
function pushTagged(
  comparison: Comparison,
  container: TaggedContainer,
  olderName: string,
  type: string,
  diff: TaggedDiff,
): void {
  const { changes, renames } = comparison
  const newerAt = (item: string) => inNewer(comparison, type, item)
  const olderAt = (item: string) => inOlder(comparison, olderName, unrenamed(renames, item))
  for (const { name: item, tag, reuses } of diff.added) {
    const reuse = reuses === undefined ? {} : { reuses }
    changes.push({ kind: "tagged-added", at: newerAt(item), container, type, item, tag, ...reuse })
  }
  for (const { name: item, tag } of diff.removed) {
    changes.push({ kind: "tagged-removed", at: olderAt(item), container, type, item, tag })
  }
  for (const { from, to, tag } of diff.renamed) {
    changes.push({ kind: "tagged-renamed", at: newerAt(to), container, type, from, to, tag })
  }
  if (diff.shifted.length > 0) {
    const first = diff.inserted[0]?.name ?? [...diff.shifted].sort((x, y) => x.to - y.to)[0]!.name
    const { shifted: shifts, inserted, dropped } = diff
    changes.push({
      kind: "tags-shifted",
      at: newerAt(first),
      container,
      type,
      shifts,
      inserted,
      dropped,
    })
  }
}

function retyped(
  at: SourcePosition,
  subject: string,
  field: boolean,
  relation: Exclude<TypeRelation, "same">,
  before: TypeDescriptor,
  after: TypeDescriptor,
): SchemaChange {
  const shown = { before: typeText(before), after: typeText(after) }
  return { kind: "retyped", at, subject, field, relation, ...shown }
}

function unrenamed(renames: ReadonlyMap<string, string>, name: string): string {
  for (const [from, to] of renames) if (to === name) return from
  return name
}

function referrers(types: Readonly<Record<string, TypeDescriptor>>, name: string): string[] {
  return Object.entries(types)
    .filter(([, type]) => referencedNames(type).includes(name))
    .map(([referrer]) => referrer)
}

const inNewer = (comparison: Comparison, type: string, part?: string) =>
  positionOf(comparison.newer, type, part)

const inOlder = (comparison: Comparison, type: string, part?: string) =>
  positionOf(comparison.older, type, part)

function positionOf(schema: ParsedSchema, type: string, part?: string): SourcePosition {
  const key = part === undefined ? type : `${type}.${part}`
  return (
    schema.positions.get(key) ??
    schema.positions.get(type) ?? { file: schema.file, line: 1, column: 1 }
  )
}
