import type { ConverterStatus, PairCoverage, TypeCoverage } from "../converters/coverage.ts"
import type { Direction } from "../converters/hand-written-module.ts"
import type { SchemaChange, SchemaDiff, TaggedContainer } from "../diff/schema-diff.ts"
import type { TypeRelation } from "../diff/type-relation.ts"
import type { ProjectFacts } from "./project-facts.ts"
import type { Category, Hit, ProjectRule, Rule, SchemaRule, Severity } from "./rule.ts"

const B: Severity = "BREAKING"
const D: Severity = "DANGEROUS"
const S: Severity = "SAFE"

/**
 * Every rule `tunnelwire check` applies, in the order reports list them. Severities read
 * [old reader ← new writer, new reader ← old writer].
 */
export const RULES: readonly Rule[] = [
  schemaRule(
    "TYPE_ADDED",
    "SOURCE",
    [S, S],
    "a named type appears; nothing on the wire changes until something refers to it",
    (diff) => changes(diff, "type-added").map((c) => hit(c, `${c.type} added: ${c.shape}`)),
  ),
  schemaRule(
    "TYPE_REMOVED",
    "SOURCE",
    [S, S],
    "a named type disappears; the places that referred to it are reported on their own",
    (diff) =>
      changes(diff, "type-removed").map((c) => hit(c, `${c.type} removed (it was ${c.shape})`)),
  ),
  schemaRule(
    "TYPE_RENAMED",
    "SOURCE",
    [S, S],
    "a named type keeps its shape under a new name: same bytes, new TypeScript name and union tag",
    (diff) => changes(diff, "type-renamed").map((c) => hit(c, `${c.from} renamed ${c.to}`)),
  ),
  schemaRule(
    "ROOT_TYPE_ADDED",
    "WIRE",
    [B, S],
    "a type now travels on its own: old peers have no decoder for it",
    (diff) =>
      changes(diff, "root-added").map((c) => hit(c, `${c.type} is a new root type (${c.why})`)),
  ),
  schemaRule(
    "ROOT_TYPE_REMOVED",
    "WIRE",
    [S, B],
    "a type no longer travels on its own: new peers cannot decode it from old ones",
    (diff) =>
      changes(diff, "root-removed").map((c) =>
        hit(c, `${c.type} is no longer a root type (${c.why})`),
      ),
  ),
  schemaRule(
    "TYPE_CHANGED",
    "WIRE",
    [B, B],
    "a named type is written another way (another kind, element or shape)",
    (diff) => retypings(diff, "changed", false),
  ),
  schemaRule(
    "STRUCT_FIELD_ADDED",
    "WIRE",
    [B, B],
    "a struct gains a field: BARE has no field tags, so each side expects the other's layout",
    (diff) =>
      changes(diff, "field-added").map((c) =>
        hit(c, `${c.type}.${c.field} (${c.fieldType}) added as field ${c.index + 1} of ${c.count}`),
      ),
  ),
  schemaRule(
    "STRUCT_FIELD_REMOVED",
    "WIRE",
    [B, B],
    "a struct loses a field: BARE has no field tags, so each side expects the other's layout",
    (diff) =>
      changes(diff, "field-removed").map((c) =>
        hit(
          c,
          `${c.type}.${c.field} (${c.fieldType}) removed; it was field ${c.index + 1} of ${c.count}`,
        ),
      ),
  ),
  schemaRule(
    "STRUCT_FIELD_REORDERED",
    "WIRE",
    [B, B],
    "a struct's fields change order: each is read from the bytes of another",
    (diff) =>
      changes(diff, "fields-reordered").map((c) =>
        hit(c, `${c.type}: fields ${c.before.join(", ")} now come as ${c.after.join(", ")}`),
      ),
  ),
  schemaRule(
    "STRUCT_FIELD_RENAMED",
    "SOURCE",
    [S, S],
    "a field keeps its place and encoding under a new name",
    (diff) =>
      changes(diff, "field-renamed").map((c) =>
        hit(c, `${c.type}.${c.from} renamed ${c.to} (field ${c.index + 1}, same bytes)`),
      ),
  ),
  schemaRule(
    "STRUCT_FIELD_RETYPED",
    "WIRE",
    [B, B],
    "a struct field is written another way",
    (diff) => retypings(diff, "changed", true),
  ),
  schemaRule(
    "UNION_MEMBER_ADDED",
    "WIRE",
    [B, S],
    "a union member at a new tag: old readers reject it whenever it is sent",
    (diff) =>
      tagged(diff, "tagged-added", "union").map((c) =>
        hit(c, `${c.type}: ${c.item} added at tag ${c.tag}${reuse(c)}`),
      ),
  ),
  schemaRule(
    "UNION_MEMBER_REMOVED",
    "WIRE",
    [S, B],
    "a union member is gone, other tags unmoved: new readers reject it from old writers",
    (diff) =>
      tagged(diff, "tagged-removed", "union").map((c) =>
        hit(c, `${c.type}: ${c.item} removed from tag ${c.tag}`),
      ),
  ),
  schemaRule(
    "UNION_MEMBER_RENAMED",
    "SOURCE",
    [S, S],
    "a union tag carries the same payload under another member name",
    (diff) =>
      tagged(diff, "tagged-renamed", "union").map((c) =>
        hit(c, `${c.type}: tag ${c.tag} is now ${c.to} (was ${c.from})`),
      ),
  ),
  schemaRule(
    "UNION_TAG_SHIFTED",
    "WIRE",
    [B, B],
    "union members keep their names but not their tags: each side reads one member as another",
    (diff) => tagged(diff, "tags-shifted", "union").map((c) => hit(c, shiftMessage(c, "tag"))),
  ),
  schemaRule(
    "ENUM_VALUE_ADDED",
    "WIRE",
    [B, S],
    "an enum value with a new number: old readers reject it whenever it is sent",
    (diff) =>
      tagged(diff, "tagged-added", "enum").map((c) =>
        hit(c, `${c.type}: ${c.item} added as value ${c.tag}${reuse(c)}`),
      ),
  ),
  schemaRule(
    "ENUM_VALUE_REMOVED",
    "WIRE",
    [S, B],
    "an enum value is gone, other numbers unmoved: new readers reject it from old writers",
    (diff) =>
      tagged(diff, "tagged-removed", "enum").map((c) =>
        hit(c, `${c.type}: ${c.item} (value ${c.tag}) removed`),
      ),
  ),
  schemaRule(
    "ENUM_VALUE_RENAMED",
    "SOURCE",
    [S, S],
    "an enum number keeps its meaning under another name",
    (diff) =>
      tagged(diff, "tagged-renamed", "enum").map((c) =>
        hit(c, `${c.type}: value ${c.tag} is now ${c.to} (was ${c.from})`),
      ),
  ),
  schemaRule(
    "ENUM_VALUE_SHIFTED",
    "WIRE",
    [B, B],
    "enum values keep their names but not their numbers: each side reads one value as another",
    (diff) => tagged(diff, "tags-shifted", "enum").map((c) => hit(c, shiftMessage(c, "value"))),
  ),
  schemaRule(
    "FIXED_LENGTH_CHANGED",
    "WIRE",
    [B, B],
    "a fixed-length data or list changes length: every byte after it moves",
    (diff) => retypings(diff, "fixed-length"),
  ),
  schemaRule(
    "OPTIONAL_ADDED",
    "WIRE",
    [B, B],
    "a type becomes optional: a presence byte now comes before it",
    (diff) => retypings(diff, "optional-added"),
  ),
  schemaRule(
    "OPTIONAL_REMOVED",
    "WIRE",
    [B, B],
    "a type stops being optional: its presence byte is gone",
    (diff) => retypings(diff, "optional-removed"),
  ),
  schemaRule(
    "SAME_ENCODING_NARROWED",
    "WIRE",
    [S, D],
    "same encoding, fewer valid values (data → str, u8 → bool): new readers reject some old values",
    (diff) => retypings(diff, "narrowed"),
  ),
  schemaRule(
    "SAME_ENCODING_WIDENED",
    "WIRE",
    [D, S],
    "same encoding, more valid values (str → data, bool → u8): old readers reject some new values",
    (diff) => retypings(diff, "widened"),
  ),
  schemaRule(
    "SAME_ENCODING_REINTERPRETED",
    "WIRE",
    [D, D],
    "same encoding, other meaning (u32 ↔ i32, uint ↔ int): some values read differently",
    (diff) => retypings(diff, "reinterpreted"),
  ),
  schemaRule(
    "SAME_ENCODING_RETYPED",
    "SOURCE",
    [S, S],
    "same bytes and values under another TypeScript type (data ↔ list<u8>)",
    (diff) => retypings(diff, "same-encoding-retyped"),
  ),

  projectRule(
    "RELEASED_SCHEMA_MODIFIED",
    "RELEASE",
    [B, B],
    true,
    "a released version's schema no longer has the fingerprint it was released with",
    (facts) =>
      facts.releases.flatMap((release) => {
        const current = release.fingerprint
        if (current === undefined) return []
        const moved = release.pins.filter((pin) => pin.fingerprint !== current)
        if (moved.length === 0) return []
        const pins = moved.map((pin) => `${short(pin.fingerprint)} (${pin.by})`).join(" and ")
        const at = release.firstChange ?? { file: release.file, line: 1, column: 1 }
        return [
          {
            at,
            message: `v${release.version} was released as ${pins} and is now ${short(current)}; released versions are frozen: undo the change and make it in a new version (tunnelwire bump)`,
          },
        ]
      }),
  ),
  projectRule(
    "RELEASED_SCHEMA_REMOVED",
    "RELEASE",
    [B, B],
    true,
    "a released version's schema, or its pin in versions.json, is gone",
    (facts) =>
      facts.releases.flatMap((release) => {
        const at = { file: release.file, line: 1, column: 1 }
        const hits: Hit[] = []
        if (release.fingerprint === undefined) {
          hits.push({
            at,
            message: `v${release.version} is released but ${release.file} is gone; peers speaking v${release.version} can no longer be served`,
          })
        }
        if (release.unpinnedSince !== undefined) {
          hits.push({
            at,
            message: `versions.json no longer pins v${release.version}, released at ${release.unpinnedSince}; restore its pin`,
          })
        }
        return hits
      }),
  ),
  projectRule(
    "GOLDEN_VECTOR_BROKEN",
    "RELEASE",
    [B, B],
    true,
    "a released version's golden vector no longer decodes, or re-encodes to other bytes",
    (facts) => facts.golden.flatMap((result) => result.failures),
  ),
  projectRule(
    "UPGRADE_CONVERTER_MISSING",
    "CONVERTER",
    [S, B],
    true,
    "a changed type has no hand-written upgrade: new peers cannot read what old ones write",
    (facts) => missingConverters(facts, "upgrade"),
  ),
  projectRule(
    "DOWNGRADE_CONVERTER_MISSING",
    "CONVERTER",
    [B, S],
    true,
    "a changed type has no hand-written downgrade: new peers cannot write for old ones",
    (facts) => missingConverters(facts, "downgrade"),
  ),
  projectRule(
    "DOWNGRADE_LOSS_UNREPORTED",
    "CONVERTER",
    [D, S],
    false,
    "a downgrade drops a field the older version lacks and never reports it as a loss",
    (facts) =>
      facts.converters.flatMap((pair) =>
        pair.types.flatMap((type) =>
          type.downgradeDrops
            .filter((drop) => !drop.reported)
            .map((drop) => ({
              at: type.downgrade.at,
              message: `v${pair.to} → v${pair.from} ${type.needs.type} drops ${drop.field} without calling ctx.loss({ field: "${drop.field}" }) for values v${pair.from} cannot carry`,
            })),
        ),
      ),
  ),
  projectRule(
    "CHANGESET_MISSING",
    "RELEASE",
    [S, S],
    true,
    "a schema changed since the compared commit without a changeset for the family's package",
    (facts) => {
      const state = facts.changeset
      if (state === undefined || state.schemaChanges.length === 0 || state.changesets.length > 0) {
        return []
      }
      return [
        {
          at: state.at,
          message: `${state.schemaChanges.join(", ")} since ${state.ref}, with no changeset for ${state.package}: run npm run changeset and say why`,
        },
      ]
    },
  ),
]

function schemaRule(
  id: string,
  category: Category,
  [oldReaderNewWriter, newReaderOldWriter]: readonly [Severity, Severity],
  purpose: string,
  check: (diff: SchemaDiff) => readonly Hit[],
): SchemaRule {
  return {
    subject: "schemas",
    id,
    category,
    oldReaderNewWriter,
    newReaderOldWriter,
    purpose,
    check,
  }
}

function projectRule(
  id: string,
  category: Category,
  [oldReaderNewWriter, newReaderOldWriter]: readonly [Severity, Severity],
  fails: boolean,
  purpose: string,
  check: (facts: ProjectFacts) => readonly Hit[],
): ProjectRule {
  return {
    subject: "project",
    id,
    category,
    oldReaderNewWriter,
    newReaderOldWriter,
    fails,
    purpose,
    check,
  }
}

type Change<K extends SchemaChange["kind"]> = Extract<SchemaChange, { readonly kind: K }>

function changes<K extends SchemaChange["kind"]>(diff: SchemaDiff, kind: K): Change<K>[] {
  return diff.changes.filter((change): change is Change<K> => change.kind === kind)
}

type TaggedKind = "tagged-added" | "tagged-removed" | "tagged-renamed" | "tags-shifted"

function tagged<K extends TaggedKind>(
  diff: SchemaDiff,
  kind: K,
  container: TaggedContainer,
): Change<K>[] {
  return changes(diff, kind).filter((change: Change<TaggedKind>) => change.container === container)
}

/** Type changes of one relation; `field` limits them to struct fields or to everything else. */
function retypings(diff: SchemaDiff, relation: TypeRelation, field?: boolean): Hit[] {
  return changes(diff, "retyped")
    .filter((c) => c.relation === relation && (field === undefined || c.field === field))
    .map((c) => hit(c, `${c.subject}: ${c.before} became ${c.after}`))
}

function hit(change: SchemaChange, message: string): Hit {
  return { at: change.at, message }
}

function reuse(change: { readonly reuses?: string }): string {
  return change.reuses === undefined ? "" : `, which was ${change.reuses}'s`
}

function shiftMessage(change: Change<"tags-shifted">, word: "tag" | "value"): string {
  const shifts = change.shifts.map((s) => `${s.name} moved from ${word} ${s.from} to ${s.to}`)
  const causes = [
    ...change.inserted.map((item) => `${item.name} inserted at ${word} ${item.tag}`),
    ...change.dropped.map((item) => `${item.name} removed from ${word} ${item.tag}`),
  ]
  const why = causes.length > 0 ? causes.join(", ") : "reordered"
  return `${change.type}: ${shifts.join(", ")} (${why})`
}

function short(fingerprint: string): string {
  return fingerprint.slice(0, "sha256:".length + 12)
}

function missingConverters(facts: ProjectFacts, direction: Direction): Hit[] {
  return facts.converters.flatMap((pair) =>
    pair.types.flatMap((type) => {
      const status = type[direction]
      if (status.state !== "missing" && status.state !== "unwritten") return []
      return [{ at: status.at, message: missingMessage(pair, type, direction, status) }]
    }),
  )
}

function missingMessage(
  pair: PairCoverage,
  type: TypeCoverage,
  direction: Direction,
  status: ConverterStatus,
): string {
  const steps =
    direction === "upgrade" ? `v${pair.from} → v${pair.to}` : `v${pair.to} → v${pair.from}`
  const subject = `${steps} ${type.needs.type}`
  if (status.state === "unwritten")
    return `${subject}: the scaffolded ${direction} is not written yet`
  if (!pair.moduleExists) {
    return `${subject}: ${pair.module} does not exist; run tunnelwire gen to scaffold it`
  }
  return `${subject}: ${pair.module} has no ${direction}; run tunnelwire gen to scaffold it`
}
