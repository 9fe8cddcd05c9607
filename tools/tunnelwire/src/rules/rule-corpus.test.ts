import { describe, expect, it } from "vitest"
import { exitCodeOf } from "../commands/check/report.ts"
import { checkSchemaPair } from "../commands/check/run-checks.ts"
import type { Finding } from "./findings.ts"
import { RULE_CORPUS } from "./rule-corpus.ts"
import { RULES } from "./rule-table.ts"

const line = (f: Finding) =>
  `${f.file}:${f.line}:${f.column} ${f.rule} ${f.oldReaderNewWriter}/${f.newReaderOldWriter} ${f.message}`

describe("schema rule corpus", () => {
  for (const example of RULE_CORPUS) {
    const verb = example.matches ? "matches" : "does not match"
    it(`${example.rule} ${verb}: ${example.shows}`, () => {
      const report = checkSchemaPair(
        { file: "old.bare", source: example.older },
        { file: "new.bare", source: example.newer },
      )
      expect(report.findings.map(line)).toEqual(example.findings)
      expect(report.findings.some((f) => f.rule === example.rule)).toBe(example.matches)
      expect(exitCodeOf(report)).toBe(example.exitCode)
    })
  }

  it("has a matching and a non-matching pair for every schema rule", () => {
    for (const rule of RULES.filter((r) => r.subject === "schemas")) {
      const cases = RULE_CORPUS.filter((example) => example.rule === rule.id)
      expect(
        cases.some((example) => example.matches),
        rule.id,
      ).toBe(true)
      expect(
        cases.some((example) => !example.matches),
        rule.id,
      ).toBe(true)
    }
  })

  it("reports nothing for two schemas that differ only in comments and declaration order", () => {
    const report = checkSchemaPair(
      { file: "old.bare", source: "type A struct { n: u8 }\ntype B void\n" },
      {
        file: "new.bare",
        source: "# B first\ntype B void\ntype A struct {\n  n: u8 # a count\n}\n",
      },
    )
    expect(report.findings).toEqual([])
    expect(exitCodeOf(report)).toBe(0)
  })
})
