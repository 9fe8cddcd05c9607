import type { ConverterStatus } from "../../converters/coverage.ts"
import { type CheckReport, exitCodeOf } from "./report.ts"

/**
 * The report for programs: stable keys, every finding, converter coverage and golden counts. With
 * several families, `{ ok, exitCode, families }` holding one such report each.
 */
export function formatJson(reports: readonly CheckReport[]): string {
  const json =
    reports.length === 1
      ? jsonOf(reports[0]!)
      : {
          ok: reports.every((report) => exitCodeOf(report) === 0),
          exitCode: Math.max(...reports.map(exitCodeOf)),
          families: reports.map(jsonOf),
        }
  return `${JSON.stringify(json, null, 2)}\n`
}

function jsonOf(report: CheckReport): unknown {
  const position = (status: ConverterStatus) => ({
    state: status.state,
    file: status.at.file,
    line: status.at.line,
    column: status.at.column,
  })
  return {
    ...(report.family === undefined ? {} : { family: report.family }),
    ok: exitCodeOf(report) === 0,
    exitCode: exitCodeOf(report),
    versions: report.versions,
    released: report.released,
    against: report.against ?? null,
    scopes: report.scopes,
    findings: report.findings,
    converters: report.converters.map((pair) => ({
      from: pair.from,
      to: pair.to,
      module: pair.module,
      moduleExists: pair.moduleExists,
      types: pair.types.map((type) => ({
        type: type.needs.type,
        evolution: type.needs.evolution,
        upgrade: position(type.upgrade),
        downgrade: position(type.downgrade),
        upgradeDrops: type.needs.olderOnlyFields.map((field) => field.name),
        downgradeDrops: type.downgradeDrops,
        renamedFields: type.needs.renamedFields,
        unrepresentableOnDowngrade: type.needs.newerOnlyMembers,
        unrepresentableOnUpgrade: type.needs.olderOnlyMembers,
      })),
    })),
    golden: report.golden.map((result) => ({
      version: result.version,
      vectors: result.vectors,
      broken: result.failures.length,
    })),
  }
}
