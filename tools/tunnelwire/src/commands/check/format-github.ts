import type { Finding } from "../../rules/findings.ts"
import { type CheckReport, exitCodeOf } from "./report.ts"

/**
 * GitHub Actions workflow commands: an error annotation for every finding that fails the check,
 * a warning or notice for the others that concern something still open to change. Changes
 * between versions that are both released are history and get no annotation.
 */
export function formatGithub(report: CheckReport): string {
  const settled = new Set(report.scopes.filter((s) => s.settled).map((s) => s.name))
  const lines = report.findings
    .filter((finding) => finding.fails || !settled.has(finding.scope))
    .map((finding) => {
      const level = finding.fails ? "error" : isSafe(finding) ? "notice" : "warning"
      const properties = [
        `file=${property(finding.file)}`,
        `line=${finding.line}`,
        `col=${finding.column}`,
        `title=${property(`${finding.rule} (${finding.oldReaderNewWriter}/${finding.newReaderOldWriter})`)}`,
      ].join(",")
      return `::${level} ${properties}::${data(`${finding.scope}: ${finding.message}`)}`
    })
  const failing = report.findings.filter((finding) => finding.fails).length
  lines.push(
    exitCodeOf(report) === 0
      ? `tunnelwire check: ok (${report.findings.length} finding(s), none fails)`
      : `tunnelwire check: ${failing} finding(s) fail the check`,
  )
  return `${lines.join("\n")}\n`
}

function isSafe(finding: Finding): boolean {
  return finding.oldReaderNewWriter === "SAFE" && finding.newReaderOldWriter === "SAFE"
}

/** Escapes a workflow command's message. */
function data(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A")
}

/** Escapes a workflow command's property value. */
function property(text: string): string {
  return data(text).replaceAll(":", "%3A").replaceAll(",", "%2C")
}
