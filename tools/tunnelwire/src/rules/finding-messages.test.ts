// Findings that name several things at once name every one of them, separated; the rule list
// renders the whole table. (Gaps a mutation run found: see docs/mutation-testing.md.)
import { describe, expect, it } from "vitest"
import { checkSchemaPair } from "../commands/check/run-checks.ts"
import { projectFindings } from "./findings.ts"
import type { ProjectFacts, ReleaseState } from "./project-facts.ts"
import { ruleListMarkdown } from "./rule-list.ts"
import { RULES } from "./rule-table.ts"

const AT = { file: "schemas/runner-protocol/v1.bare", line: 3, column: 1 }
const fp = (hex: string) => `sha256:${hex.repeat(64)}`

const release = (overrides: Partial<ReleaseState>): ReleaseState => ({
  version: 1,
  file: AT.file,
  fingerprint: fp("a"),
  pins: [{ by: "versions.json", fingerprint: fp("a") }],
  unpinnedSince: undefined,
  firstChange: AT,
  ...overrides,
})

const facts = (overrides: Partial<ProjectFacts>): ProjectFacts => ({
  releases: [release({})],
  golden: [],
  converters: [],
  changeset: undefined,
  ...overrides,
})

describe("finding messages", () => {
  it("report nothing for a project whose release is intact", () => {
    expect(projectFindings(facts({}))).toEqual([])
  })

  it("name every pin a released schema moved away from", () => {
    const moved = release({
      pins: [
        { by: "versions.json", fingerprint: fp("b") },
        { by: "HEAD~1", fingerprint: fp("c") },
      ],
    })
    const [finding] = projectFindings(facts({ releases: [moved] }))
    expect(finding?.message).toContain(
      `v1 was released as ${fp("b").slice(0, 19)} (versions.json) and ${fp("c").slice(0, 19)} (HEAD~1) and is now ${fp("a").slice(0, 19)};`,
    )
  })

  it("name every schema change that lacks a changeset", () => {
    const changeset = {
      ref: "HEAD~1",
      package: "@acme/chat-protocol",
      schemaChanges: ["v4 added", "v3 changed"],
      changesets: [],
      at: AT,
    }
    const messages = projectFindings(facts({ changeset })).map((f) => f.message)
    expect(
      messages.some((m) =>
        m.startsWith(
          "v4 added, v3 changed since HEAD~1, with no changeset for @acme/chat-protocol",
        ),
      ),
    ).toBe(true)
  })

  it("name every member inserted before the ones whose tags moved", () => {
    const report = checkSchemaPair(
      { file: "old.bare", source: "type U union { A | B }\ntype A void\ntype B void\n" },
      {
        file: "new.bare",
        source:
          "type U union { X | Y | A | B }\ntype A void\ntype B void\ntype X void\ntype Y void\n",
      },
    )
    const messages = report.findings.map((f) => f.message)
    expect(messages.some((m) => m.includes("(X inserted at tag 0, Y inserted at tag 1)"))).toBe(
      true,
    )
  })
})

describe("findings on one line", () => {
  it("come in column order, whichever rule found them", () => {
    const findings = (older: string, newer: string) =>
      checkSchemaPair(
        { file: "old.bare", source: older },
        { file: "new.bare", source: newer },
      ).findings.map((f) => `${f.line}:${f.column} ${f.rule}`)
    expect(
      findings("type S struct { a: u8 b: u8 }\n", "type S struct { a: u8 c: u16 b: u16 }\n"),
    ).toEqual(["1:23 STRUCT_FIELD_ADDED", "1:30 STRUCT_FIELD_RETYPED"])
    expect(findings("type S struct { a: u8 b: u8 }\n", "type S struct { a: u16 c: u8 }\n")).toEqual(
      ["1:17 STRUCT_FIELD_RETYPED", "1:24 STRUCT_FIELD_RENAMED"],
    )
  })
})

describe("the rule list", () => {
  it("is a Markdown table: a header, its rule, and one row per rule", () => {
    const lines = ruleListMarkdown().split("\n")
    expect(lines).toHaveLength(RULES.length + 2)
    expect(lines[0]).toMatch(/^\| rule +\|/)
    expect(lines[1]).toMatch(/^\| -+ \|/)
    for (const [i, rule] of RULES.entries()) expect(lines[i + 2]).toContain(`\`${rule.id}\``)
  })
})
