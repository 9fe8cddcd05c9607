import type { SourcePosition } from "../schema/model.ts"
import type { ParsedSchema } from "../schema/parse-schema.ts"
import { type ConverterNeeds, converterNeeds } from "./converter-needs.ts"
import type { Direction, HandWrittenModule } from "./hand-written-module.ts"

/**
 * - `written`: the hand-written module has it.
 * - `unwritten`: `tunnelwire gen` scaffolded it and nobody has written it yet.
 * - `missing`: the hand-written module lacks it (or does not exist).
 * - `generated`: the generator converts this type itself, member by member.
 */
export type ConverterState = "written" | "unwritten" | "missing" | "generated"

export interface ConverterStatus {
  readonly state: ConverterState
  readonly at: SourcePosition
}

export interface TypeCoverage {
  readonly needs: ConverterNeeds
  readonly upgrade: ConverterStatus
  readonly downgrade: ConverterStatus
  /** Fields a downgrade drops, and whether the converter reports each through `ctx.loss`. */
  readonly downgradeDrops: readonly { readonly field: string; readonly reported: boolean }[]
}

/** The converters between two adjacent versions, for every type whose own shape changed. */
export interface PairCoverage {
  readonly from: number
  readonly to: number
  /** The hand-written module, as messages show its path. */
  readonly module: string
  readonly moduleExists: boolean
  readonly types: readonly TypeCoverage[]
}

export function pairCoverage(
  older: ParsedSchema,
  newer: ParsedSchema,
  module: HandWrittenModule | undefined,
  modulePath: string,
): PairCoverage {
  const types = converterNeeds(older.descriptor, newer.descriptor).map((needs): TypeCoverage => {
    const declaredAt = newer.positions.get(needs.type) ?? { file: newer.file, line: 1, column: 1 }
    const status = (direction: Direction): ConverterStatus => {
      if (needs.evolution === "union-members") return { state: "generated", at: declaredAt }
      const table = module?.tables[direction]
      const converter = table?.converters.get(needs.type)
      if (converter !== undefined) {
        return { state: converter.hole ? "unwritten" : "written", at: converter.at }
      }
      const moduleStart = { file: modulePath, line: 1, column: 1 }
      return {
        state: "missing",
        at: table?.at ?? (module === undefined ? declaredAt : moduleStart),
      }
    }
    const downgrade = status("downgrade")
    const written = module?.tables.downgrade?.converters.get(needs.type)
    const reported = new Set(written?.reportedLosses ?? [])
    // A field the downgrade reads without reporting it is carried into another shape (v4's
    // `hibernatingRequests` become v3's `hibernatingRequestIds`), not dropped.
    const carried = new Set((written?.readProperties ?? []).filter((field) => !reported.has(field)))
    return {
      needs,
      upgrade: status("upgrade"),
      downgrade,
      downgradeDrops:
        downgrade.state === "written"
          ? needs.newerOnlyFields
              .filter((field) => !carried.has(field.name))
              .map((field) => ({ field: field.name, reported: reported.has(field.name) }))
          : [],
    }
  })
  return {
    from: older.descriptor.version,
    to: newer.descriptor.version,
    module: modulePath,
    moduleExists: module !== undefined,
    types,
  }
}
