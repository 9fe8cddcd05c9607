import { describe, expect, it } from "vitest"
import { converterNeeds } from "../converters/converter-needs.ts"
import { readHandWrittenModule } from "../converters/hand-written-module.ts"
import { parseSchema } from "../schema/parse-schema.ts"
import { insertMissingConverters, scaffoldModule } from "./converter-scaffold.ts"

const older = parseSchema("type Close struct {\n  code: u16\n  hibernate: bool\n}\n", "v3.bare", 3)
const newer = parseSchema("type Close struct {\n  code: u16\n}\n", "v4.bare", 4)
const needs = converterNeeds(older.descriptor, newer.descriptor)

const insert = (source: string) =>
  insertMissingConverters(readHandWrittenModule("v3-to-v4.ts", source), 3, needs)

describe("converter scaffolding", () => {
  it("creates a module whose placeholders say what each converter fills in or drops", () => {
    expect(
      scaffoldModule(3, needs, "../gen/migrations/v3-v4.js"),
    ).toBe(`// v3 ↔ v4: say what changed between the two versions, what each upgrade fills in and
// what each downgrade drops or refuses. \`tunnelwire gen\` adds a placeholder here for every type
// whose shape changes, and never touches a converter once it is written.
import type { HandWrittenDowngrades, HandWrittenUpgrades } from "../gen/migrations/v3-v4.js"

export const upgrades = {
  // Write this upgrade in place of the placeholder: (value, ctx, convert) => a v4 Close.
  // - drop hibernate: v4 has no such field
  Close: unwrittenUpgradeClose,
} satisfies HandWrittenUpgrades

export const downgrades = {
  // Write this downgrade in place of the placeholder: (value, ctx, convert) => a v3 Close.
  // - fill hibernate (bool): v4 has no such field
  Close: unwrittenDowngradeClose,
} satisfies HandWrittenDowngrades
`)
  })

  it("adds only the missing converter and leaves the written one byte for byte", () => {
    const written = "  Close: (value) => ({ code: value.code }),\n"
    const source = `export const upgrades = {\n${written}}\n\nexport const downgrades = {\n}\n`
    const result = insert(source)
    expect(result.inserted).toEqual(["downgrade Close"])
    expect(result.source).toBe(
      `export const upgrades = {\n${written}}\n\nexport const downgrades = {\n` +
        "  // Write this downgrade in place of the placeholder: (value, ctx, convert) => a v3 Close.\n" +
        "  // - fill hibernate (bool): v4 has no such field\n" +
        "  Close: unwrittenDowngradeClose,\n}\n",
    )
  })

  it("puts a comma after a last property that has none, and fills a one-line {}", () => {
    const source =
      "export const upgrades = {\n  Other: (value) => value\n}\nexport const downgrades = {} satisfies X\n"
    const { source: out } = insert(source)
    expect(out).toContain("  Other: (value) => value,\n  // Write this upgrade")
    expect(out).toContain("export const downgrades = {\n  // Write this downgrade")
    expect(out).toContain("  Close: unwrittenDowngradeClose,\n} satisfies X\n")
  })

  it("adds nothing the second time", () => {
    const once = insert("export const upgrades = {}\nexport const downgrades = {}\n").source
    expect(insert(once)).toEqual({ source: once, inserted: [], unreadable: [] })
  })

  it("says so when a table is not an object literal it can extend", () => {
    const result = insert("export const upgrades = makeUpgrades()\nexport const downgrades = {}\n")
    expect(result.unreadable).toEqual(["export const upgrades = { … }"])
    expect(result.inserted).toEqual(["downgrade Close"])
  })
})
