import type { PairCoverage } from "../../converters/coverage.ts"
import type { Finding } from "../../rules/findings.ts"
import type { GoldenResult } from "../../rules/project-facts.ts"

/** One thing compared, in the order a report shows them. */
export interface Scope {
  readonly name: string
  /**
   * Between released versions only: history nobody can change any more, which the GitHub
   * format leaves out so that annotations point at what a change under review did.
   */
  readonly settled: boolean
}

/** Everything `tunnelwire check` found, before it is formatted. */
export interface CheckReport {
  /** The family checked; none when two files were compared. */
  readonly family?: string
  readonly versions: readonly number[]
  readonly released: readonly number[]
  readonly against: string | undefined
  readonly scopes: readonly Scope[]
  readonly findings: readonly Finding[]
  readonly converters: readonly PairCoverage[]
  readonly golden: readonly GoldenResult[]
}

/** 100 when any finding fails the check, else 0. */
export function exitCodeOf(report: CheckReport): 0 | 100 {
  return report.findings.some((finding) => finding.fails) ? 100 : 0
}
