import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { REPO_ROOT } from "../../test/support/temp-project.ts"
import { readHandWrittenModule } from "./hand-written-module.ts"

const summary = (source: string) => {
  const module = readHandWrittenModule("m.ts", source)
  return Object.fromEntries(
    (["upgrade", "downgrade"] as const).map((direction) => [
      direction,
      [...(module.tables[direction]?.converters.values() ?? [])].map((c) =>
        `${c.type}${c.hole ? " (hole)" : ""} ${c.reportedLosses.join(",")}`.trim(),
      ),
    ]),
  )
}

describe("reading a hand-written converters module", () => {
  it("finds this repository's v1 → v2 converters and the losses each downgrade reports", () => {
    const path = join(REPO_ROOT, "packages/protocol/src/migrations/v1-to-v2.ts")
    expect(summary(readFileSync(path, "utf8"))).toEqual({
      upgrade: ["ToClientWebSocketMessage", "ToServerWebSocketOpen", "ToServerWebSocketClose"],
      downgrade: [
        "ToClientWebSocketMessage index",
        "ToServerWebSocketOpen canHibernate,lastMsgIndex",
        "ToServerWebSocketClose retry",
      ],
    })
  })

  it("reads methods, quoted keys and converters named by reference, and tells holes apart", () => {
    const source = `
      const drop = (value, ctx) => { ctx.loss({ type: "A", field: "x", reason: "r" }); return value }
      export const upgrades = { A: unwrittenUpgradeA, "B": unwrittenUpgradeA } as const
      export const downgrades = { A(value) { return value }, B: drop }
    `
    expect(summary(source)).toEqual({
      upgrade: ["A (hole)", "B"],
      downgrade: ["A", "B x"],
    })
  })

  it("has no table for a module that declares none", () => {
    const module = readHandWrittenModule("m.ts", "export const other = {}\n")
    expect(module.tables).toEqual({ upgrade: undefined, downgrade: undefined })
    expect(module.upgradesCopyOutOf).toEqual([])
  })

  it("reads the data types the upgrades declare they only copy out of", () => {
    const path = join(REPO_ROOT, "packages/protocol/src/migrations/v3-to-v4.ts")
    const module = readHandWrittenModule("v3-to-v4.ts", readFileSync(path, "utf8"))
    expect(module.upgradesCopyOutOf).toEqual(["RequestId", "MessageId"])
  })
})
