import { describe, expect, it } from "vitest"
import { formatGithub } from "./format-github.ts"
import { formatJson } from "./format-json.ts"
import { formatText, useColor } from "./format-text.ts"
import type { CheckReport } from "./report.ts"
import { checkSchemaPair } from "./run-checks.ts"

const report = checkSchemaPair(
  { file: "old.bare", source: "type A struct {\n  n: u8\n}\n" },
  { file: "new.bare", source: "type A struct {\n  n: u8\n  m: str\n}\n" },
)

describe("text format", () => {
  it("puts file:line:column, rule, both severities and the message on one line", () => {
    expect(formatText(report, { color: false })).toContain(
      "  error new.bare:3:3 STRUCT_FIELD_ADDED BREAKING/BREAKING A.m (str) added as field 2 of 2\n",
    )
  })

  it("ends with the verdict", () => {
    expect(formatText(report, { color: false }).trimEnd().split("\n").at(-1)).toBe(
      "failed: 1 of 1 finding(s) fail the check",
    )
  })

  it("colors severities only when asked to", () => {
    expect(formatText(report, { color: true })).toContain("\u001b[31mBREAKING\u001b[0m")
    expect(formatText(report, { color: false })).not.toContain("\u001b[")
  })

  it("uses color on a terminal unless NO_COLOR is set, and never when piped", () => {
    expect(useColor({ isTTY: true }, {})).toBe(true)
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
    expect(useColor({ isTTY: true }, { NO_COLOR: "" })).toBe(true)
    expect(useColor({ isTTY: false }, {})).toBe(false)
  })
})

describe("github format", () => {
  it("annotates a failing finding as an error at its file, line and column", () => {
    expect(formatGithub(report).split("\n")[0]).toBe(
      "::error file=new.bare,line=3,col=3,title=STRUCT_FIELD_ADDED (BREAKING/BREAKING)::old.bare → new.bare: A.m (str) added as field 2 of 2",
    )
  })

  it("escapes what would end a workflow command early", () => {
    const tricky: CheckReport = {
      ...report,
      findings: [{ ...report.findings[0]!, file: "a:b,c.bare", message: "50%\nnext" }],
    }
    expect(formatGithub(tricky).split("\n")[0]).toBe(
      "::error file=a%3Ab%2Cc.bare,line=3,col=3,title=STRUCT_FIELD_ADDED (BREAKING/BREAKING)::old.bare → new.bare: 50%25%0Anext",
    )
  })

  it("leaves changes between released versions unannotated and warns about open ones", () => {
    const finding = { ...report.findings[0]!, fails: false }
    const mixed: CheckReport = {
      ...report,
      scopes: [
        { name: "v1 → v2", settled: true },
        { name: "v2 → v3", settled: false },
      ],
      findings: [
        { ...finding, scope: "v1 → v2" },
        { ...finding, scope: "v2 → v3" },
      ],
    }
    expect(
      formatGithub(mixed)
        .split("\n")
        .filter((l) => l.startsWith("::")),
    ).toEqual([
      "::warning file=new.bare,line=3,col=3,title=STRUCT_FIELD_ADDED (BREAKING/BREAKING)::v2 → v3: A.m (str) added as field 2 of 2",
    ])
  })
})

describe("json format", () => {
  it("carries the verdict, every finding with both severities, and its exit code", () => {
    const json = JSON.parse(formatJson([report]))
    expect(json).toMatchObject({ ok: false, exitCode: 100, against: null })
    expect(json.findings).toEqual([
      {
        rule: "STRUCT_FIELD_ADDED",
        category: "WIRE",
        oldReaderNewWriter: "BREAKING",
        newReaderOldWriter: "BREAKING",
        fails: true,
        scope: "old.bare → new.bare",
        file: "new.bare",
        line: 3,
        column: 3,
        message: "A.m (str) added as field 2 of 2",
      },
    ])
  })
})
