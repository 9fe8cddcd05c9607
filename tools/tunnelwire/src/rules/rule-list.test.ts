import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { ruleListMarkdown } from "./rule-list.ts"
import { RULES } from "./rule-table.ts"

describe("the rule table", () => {
  it("gives every rule an UPPER_SNAKE id of its own, both severities and a one-line purpose", () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length)
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[A-Z]+(_[A-Z]+)*$/)
      expect(rule.purpose).not.toMatch(/\n/)
      expect(["BREAKING", "DANGEROUS", "SAFE"]).toContain(rule.oldReaderNewWriter)
      expect(["BREAKING", "DANGEROUS", "SAFE"]).toContain(rule.newReaderOldWriter)
    }
  })

  it("is the one the README shows", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
    expect(readme).toContain(`${ruleListMarkdown()}\n`)
  })
})
