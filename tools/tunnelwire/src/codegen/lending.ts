import type { SchemaDescriptor } from "../schema/model.ts"
import { classifyTypeEvolution, referencedNames } from "../schema/type-evolution.ts"

/**
 * Which values the versioned decode may read as views of its input instead of copies.
 *
 * A hand-written module declares (`upgradesCopyOutOf`) fixed-size data types that its upgrades
 * only copy bytes out of: v3's 16-byte tunnel ids, which v3 → v4 cuts into 4-byte parts. Reading
 * such a value as an `ArrayBuffer` of its own, only for the converter to copy parts out of it and
 * drop it, costs an allocation per id. Where the declaration holds, the versioned decode of the
 * versions up to that step reads them as `Uint8Array` views of the input (`gen/vN/lent.ts`) and
 * hands them to the fused upgrade, which takes them through generated code (a view is passed on
 * as it is) to the declaring step's hand-written converters. Those are typed to take
 * `ArrayBuffer | Uint8Array` there, so TypeScript refuses a converter that would pass one on into
 * the newer value. No lent value reaches what a caller gets.
 */
export interface Lending {
  /** The step `step → step + 1` whose hand-written upgrades copy out of the lent types. */
  readonly step: number
  /** The fixed-size data types read as views. */
  readonly lent: readonly string[]
  /** The fixed-size data types the declaring step could lend (`copyOutCandidates`). */
  readonly candidates: readonly string[]
  /** The versions whose decode lends (a run of versions ending at `step`). */
  readonly versions: readonly number[]
  /** Per version in `versions`, the named types a lent value can sit in (the lent types too). */
  readonly holders: ReadonlyMap<number, ReadonlySet<string>>
}

/** What one step's hand-written module declares: `upgradesCopyOutOf`, and where. */
export interface CopyOutDeclaration {
  readonly step: number
  readonly file: string
  readonly types: readonly string[]
}

/**
 * The lending a family's declarations allow, or `undefined` when none declares any. A declaration
 * that cannot hold is an error: a type that is not fixed-size data of the older version, or whose
 * upgrade is not written by hand at that step (a generated one would pass the view on).
 * `overrides[i]` are the generated converters a person replaced between `schemas[i]` and the next.
 */
export function planLending(
  schemas: readonly SchemaDescriptor[],
  declarations: readonly CopyOutDeclaration[],
  overrides: readonly (readonly string[])[] = [],
): Lending | undefined {
  const declared = declarations.filter((d) => d.types.length > 0)
  if (declared.length === 0) return undefined
  if (declared.length > 1) {
    const files = declared.map((d) => d.file).join(", ")
    throw new Error(`upgradesCopyOutOf: only one step of a family may declare it (${files})`)
  }
  const { step, file, types } = declared[0]!
  const first = schemas[0]!.version
  const schemaOf = (version: number) => schemas[version - first]!
  const evolution = (older: number) => classifyTypeEvolution(schemaOf(older), schemaOf(older + 1))
  const candidates = copyOutCandidates(schemaOf(step), schemaOf(step + 1))
  for (const name of types) {
    if (!candidates.includes(name)) {
      throw new Error(
        `${file}: upgradesCopyOutOf: ${name} must be fixed-size data of v${step} whose upgrade is written by hand (a generated one would pass a view on); it can be one of: ${candidates.join(", ")}`,
      )
    }
  }
  const holders = new Map<number, ReadonlySet<string>>([[step, holdersOf(schemaOf(step), types)]])
  // Older versions lend too while nothing hand-written stands between them and the step: a
  // hand-written converter there is typed for the codec's values, not for views.
  for (let version = step - 1; version >= first; version--) {
    const own = holdersOf(schemaOf(version), types)
    const kinds = evolution(version)
    const sameData = types.every((name) => kinds.get(name) === "identical")
    const byHand = overrides[version - first] ?? []
    const untouched = [...own].every(
      (name) => kinds.get(name) !== "changed" && !byHand.includes(name),
    )
    if (!sameData || !untouched) break
    holders.set(version, own)
  }
  const versions = [...holders.keys()].sort((a, b) => a - b)
  return { step, lent: types, candidates, versions, holders }
}

/** The fixed-size data types of `older` that only a hand-written converter takes to `newer`. */
export function copyOutCandidates(older: SchemaDescriptor, newer: SchemaDescriptor): string[] {
  const evolution = classifyTypeEvolution(older, newer)
  return Object.entries(older.types)
    .filter(
      ([name, type]) =>
        type.kind === "data" && type.length !== undefined && evolution.get(name) === "changed",
    )
    .map(([name]) => name)
}

/** The named types of `schema` that are, or transitively contain, one of `lent`. */
function holdersOf(schema: SchemaDescriptor, lent: readonly string[]): Set<string> {
  const holders = new Set(lent)
  let grew = true
  while (grew) {
    grew = false
    for (const [name, type] of Object.entries(schema.types)) {
      if (holders.has(name)) continue
      if (referencedNames(type).some((ref) => holders.has(ref))) {
        holders.add(name)
        grew = true
      }
    }
  }
  return holders
}
