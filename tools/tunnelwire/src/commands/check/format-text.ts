import type { ConverterStatus, PairCoverage, TypeCoverage } from "../../converters/coverage.ts"
import type { Finding } from "../../rules/findings.ts"
import type { Severity } from "../../rules/rule.ts"
import { type CheckReport, exitCodeOf } from "./report.ts"

export interface TextStyle {
  readonly color: boolean
}

/** Color on a terminal, unless NO_COLOR is set to anything but the empty string. */
export function useColor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "")
}

const SGR = { bold: 1, red: 31, green: 32, yellow: 33, dim: 2 } as const

/** The report for a person: one line per finding, grouped by what was compared. */
export function formatText(report: CheckReport, style: TextStyle): string {
  const paint = (code: keyof typeof SGR, text: string) =>
    style.color ? `\u001b[${SGR[code]}m${text}\u001b[0m` : text
  const severity = (value: Severity) =>
    paint(value === "BREAKING" ? "red" : value === "DANGEROUS" ? "yellow" : "green", value)
  const findingLine = (finding: Finding) =>
    [
      finding.fails ? `${paint("red", "error")} ` : "",
      `${finding.file}:${finding.line}:${finding.column} `,
      `${paint("bold", finding.rule)} `,
      `${severity(finding.oldReaderNewWriter)}/${severity(finding.newReaderOldWriter)} `,
      finding.message,
    ].join("")

  const lines: string[] = []
  if (report.versions.length > 0) {
    const list = (versions: readonly number[]) =>
      versions.length === 0 ? "none" : versions.map((v) => `v${v}`).join(", ")
    const against = report.against === undefined ? "" : `; compared with ${report.against}`
    lines.push(
      `schema versions ${list(report.versions)}; released ${list(report.released)}${against}`,
    )
  }
  lines.push("severities: old reader of new bytes/new reader of old bytes", "")
  for (const scope of report.scopes) {
    const findings = report.findings.filter((finding) => finding.scope === scope.name)
    const coverage = report.converters.find((pair) => scope.name === `v${pair.from} → v${pair.to}`)
    const body = [
      ...(scope.name === "project" ? projectLines(report) : []),
      ...findings.map((finding) => `  ${findingLine(finding)}`),
      ...(coverage === undefined ? [] : converterLines(coverage)),
    ]
    if (findings.length === 0 && scope.name !== "project") body.unshift("  no changes")
    lines.push(paint("bold", scope.name), ...body, "")
  }
  const failing = report.findings.filter((finding) => finding.fails).length
  lines.push(
    exitCodeOf(report) === 0
      ? `ok: ${report.findings.length} finding(s), none fails the check`
      : paint("red", `failed: ${failing} of ${report.findings.length} finding(s) fail the check`),
  )
  return `${lines.join("\n")}\n`
}

function converterLines(pair: PairCoverage): string[] {
  if (pair.types.length === 0) return []
  const width = Math.max(...pair.types.map((type) => type.needs.type.length))
  return [
    `  converters (${pair.module}):`,
    ...pair.types.map(
      (type) => `    ${type.needs.type.padEnd(width)}  ${converterSummary(pair, type)}`,
    ),
  ]
}

function converterSummary(pair: PairCoverage, type: TypeCoverage): string {
  const { needs } = type
  if (needs.evolution === "union-members") {
    const notes = [
      ...needs.newerOnlyMembers.map((m) => `${m} cannot go down to v${pair.from}`),
      ...needs.olderOnlyMembers.map((m) => `${m} cannot go up to v${pair.to}`),
    ]
    return ["generated", ...notes].join("; ")
  }
  const state = (status: ConverterStatus) =>
    status.state === "unwritten" ? "to be written" : status.state
  const upgradeDrops = needs.olderOnlyFields.map((field) => field.name)
  const reported = type.downgradeDrops.filter((drop) => drop.reported).map((drop) => drop.field)
  const silent = type.downgradeDrops.filter((drop) => !drop.reported).map((drop) => drop.field)
  const upgrade = [
    `upgrade ${state(type.upgrade)}`,
    ...(upgradeDrops.length > 0 ? [`drops ${upgradeDrops.join(", ")}`] : []),
  ]
  const downgrade = [
    `downgrade ${state(type.downgrade)}`,
    ...(reported.length > 0 ? [`reports losing ${reported.join(", ")}`] : []),
    ...(silent.length > 0 ? [`drops ${silent.join(", ")} without reporting it`] : []),
  ]
  return `${upgrade.join(", ")}; ${downgrade.join(", ")}`
}

function projectLines(report: CheckReport): string[] {
  if (report.versions.length === 0) return []
  const failing = new Set(
    report.findings
      .filter((f) => f.rule === "RELEASED_SCHEMA_MODIFIED" || f.rule === "RELEASED_SCHEMA_REMOVED")
      .map((f) => f.file),
  )
  const lines = [
    failing.size === 0
      ? `  releases: ${report.released.map((v) => `v${v}`).join(", ") || "none"} keep their pinned fingerprints`
      : `  releases: ${failing.size} released schema(s) changed or gone`,
  ]
  const vectors = report.golden.filter((result) => result.vectors > 0)
  const broken = report.golden.reduce((sum, result) => sum + result.failures.length, 0)
  if (vectors.length > 0) {
    const counts = vectors.map((result) => `v${result.version} ${result.vectors}`).join(", ")
    lines.push(
      broken === 0
        ? `  golden vectors: ${counts} decode and re-encode to the same bytes`
        : `  golden vectors: ${counts}; ${broken} broken`,
    )
  }
  const missing = report.golden.filter((result) => result.vectors === 0)
  if (missing.length > 0) {
    lines.push(
      `  golden vectors: none for ${missing.map((result) => `v${result.version}`).join(", ")}`,
    )
  }
  return lines
}
