import type { Rule } from "./rule.ts"
import { RULES } from "./rule-table.ts"

/**
 * The rule table as Markdown, as `tunnelwire check --list-rules` prints it and the README shows
 * it. "Fails" says when a finding makes `check` exit 100: project rules always or never; schema
 * rules only in a revision (two copies of one released version, or two files compared), and only
 * when not SAFE both ways.
 */
export function ruleListMarkdown(rules: readonly Rule[] = RULES): string {
  const header = [
    "rule",
    "category",
    "old reader, new writer",
    "new reader, old writer",
    "fails",
    "purpose",
  ]
  const rows = rules.map((rule) => {
    return [
      `\`${rule.id}\``,
      rule.category,
      rule.oldReaderNewWriter,
      rule.newReaderOldWriter,
      failsWhen(rule),
      rule.purpose,
    ]
  })
  // Padded the way the repository's formatter pads Markdown tables, so the README can hold it.
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)))
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}

/** The rule table for programs, as `tunnelwire check --list-rules --format json` prints it. */
export function ruleListJson(rules: readonly Rule[] = RULES): string {
  const json = rules.map((rule) => ({
    id: rule.id,
    category: rule.category,
    oldReaderNewWriter: rule.oldReaderNewWriter,
    newReaderOldWriter: rule.newReaderOldWriter,
    fails: failsJson(rule),
    purpose: rule.purpose,
  }))
  return `${JSON.stringify(json, null, 2)}\n`
}

/** When a finding fails the check: `always`, `never`, or only `in-revision` (see above). */
function failsJson(rule: Rule): "always" | "never" | "in-revision" {
  if (rule.subject === "project") return rule.fails ? "always" : "never"
  const safe = rule.oldReaderNewWriter === "SAFE" && rule.newReaderOldWriter === "SAFE"
  return safe ? "never" : "in-revision"
}

function failsWhen(rule: Rule): string {
  if (rule.subject === "project") return rule.fails ? "yes" : "no (warns)"
  const safe = rule.oldReaderNewWriter === "SAFE" && rule.newReaderOldWriter === "SAFE"
  return safe ? "no" : "in a revision"
}
