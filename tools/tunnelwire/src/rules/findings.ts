import type { SchemaDiff } from "../diff/schema-diff.ts"
import type { ProjectFacts } from "./project-facts.ts"
import type { Category, Hit, Rule, Severity } from "./rule.ts"
import { RULES } from "./rule-table.ts"

/** A rule that matched, where, and what it means for each direction. */
export interface Finding {
  readonly rule: string
  readonly category: Category
  readonly oldReaderNewWriter: Severity
  readonly newReaderOldWriter: Severity
  /** Whether this finding makes `tunnelwire check` exit 100. */
  readonly fails: boolean
  /** What was compared: "v1 → v2", "v3 since HEAD~1", or "project". */
  readonly scope: string
  readonly file: string
  readonly line: number
  readonly column: number
  readonly message: string
}

/**
 * Two schemas compared, and what their differences mean:
 * - `evolution`: adjacent versions, which may differ (converters bridge them); informative.
 * - `revision`: two copies of one released version, which peers assume equal; a finding that is
 *   not SAFE both ways fails.
 * - `draft`: two copies of a version not released yet, free to change; informative.
 */
export interface SchemaComparison {
  readonly diff: SchemaDiff
  readonly scope: string
  readonly kind: "evolution" | "revision" | "draft"
}

export function schemaFindings(comparison: SchemaComparison): Finding[] {
  return RULES.flatMap((rule) =>
    rule.subject === "schemas"
      ? rule.check(comparison.diff).map((hit) => {
          const unsafe = rule.oldReaderNewWriter !== "SAFE" || rule.newReaderOldWriter !== "SAFE"
          return finding(rule, hit, comparison.scope, comparison.kind === "revision" && unsafe)
        })
      : [],
  ).sort(byPosition)
}

export function projectFindings(facts: ProjectFacts): Finding[] {
  return RULES.flatMap((rule) =>
    rule.subject === "project"
      ? rule.check(facts).map((hit) => finding(rule, hit, "project", rule.fails))
      : [],
  )
}

function finding(rule: Rule, hit: Hit, scope: string, fails: boolean): Finding {
  return {
    rule: rule.id,
    category: rule.category,
    oldReaderNewWriter: rule.oldReaderNewWriter,
    newReaderOldWriter: rule.newReaderOldWriter,
    fails,
    scope,
    file: hit.at.file,
    line: hit.at.line,
    column: hit.at.column,
    message: hit.message,
  }
}

/** Schema order: the older and newer files of a comparison mostly share their line numbers. */
function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || a.file.localeCompare(b.file)
}
