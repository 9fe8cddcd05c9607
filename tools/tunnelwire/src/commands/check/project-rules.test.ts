import { appendFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { commitAll, type TempProject, tempProject } from "../../../test/support/temp-project.ts"
import type { Finding } from "../../rules/findings.ts"
import { fingerprint } from "../../schema/fingerprint.ts"
import { parseSchema } from "../../schema/parse-schema.ts"
import { formatVersionsLock } from "../../schema/versions-lock.ts"
import { exitCodeOf } from "./report.ts"
import { checkProject } from "./run-checks.ts"

const V1 = "type Msg union { Open | Close }\ntype Open void\ntype Close struct {\n  code: u16\n}\n"
const V2 =
  "type Msg union { Open | Close }\ntype Open void\ntype Close struct {\n  code: u16\n  retry: bool\n}\n"
const LOCK = "schemas/runner-protocol/versions.json"
const MODULE = "packages/protocol/src/migrations/v1-to-v2.ts"

const pin = (...sources: string[]) =>
  formatVersionsLock({
    released: Object.fromEntries(
      sources.map((source, i) => [
        String(i + 1),
        { fingerprint: fingerprint(parseSchema(source, "v.bare", i + 1).descriptor) },
      ]),
    ),
  })

const line = (f: Finding) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`

describe("project rules", () => {
  const projects: TempProject[] = []
  afterEach(() => {
    for (const project of projects.splice(0)) project.remove()
  })

  /** v1 released, v2 open and adding `retry` to Close, with both converters written. */
  function project(converters: string | null = UPGRADE_AND_DOWNGRADE): TempProject {
    const created = tempProject()
    projects.push(created)
    created.write("schemas/runner-protocol/v1.bare", V1)
    created.write("schemas/runner-protocol/v2.bare", V2)
    created.write(LOCK, pin(V1))
    if (converters !== null) created.write(MODULE, converters)
    return created
  }

  async function check(target: TempProject, against?: string) {
    const report = await checkProject(target.layout, against)
    return {
      project: report.findings.filter((f) => f.scope === "project").map(line),
      all: report.findings,
      exitCode: exitCodeOf(report),
    }
  }

  it("passes a project whose release is intact and whose converters are written", async () => {
    const result = await check(project())
    expect(result.project).toEqual([])
    expect(result.exitCode).toBe(0)
  })

  describe("RELEASED_SCHEMA_MODIFIED", () => {
    it("fails when a released schema no longer has the fingerprint versions.json pins", async () => {
      const target = project()
      target.write("schemas/runner-protocol/v1.bare", V1.replace("code: u16", "code: u32"))
      const result = await check(target)
      expect(result.project).toEqual([
        expect.stringMatching(
          /^schemas\/runner-protocol\/v1\.bare:1:1 RELEASED_SCHEMA_MODIFIED v1 was released as sha256:\w{12} \(versions\.json\) and is now sha256:\w{12}; released versions are frozen/,
        ),
      ])
      expect(result.exitCode).toBe(100)
    })

    it("fails when the schema and its pin both changed since the compared commit, at the first change", async () => {
      const target = project()
      commitAll(target, "v1 released")
      const edited = V1.replace("code: u16", "code: u32")
      target.write("schemas/runner-protocol/v1.bare", edited)
      target.write(LOCK, pin(edited))
      const result = await check(target, "HEAD")
      expect(result.project).toEqual([
        expect.stringMatching(
          /^schemas\/runner-protocol\/v1\.bare:4:3 RELEASED_SCHEMA_MODIFIED v1 was released as sha256:\w{12} \(versions\.json at HEAD\) and is now/,
        ),
        "schemas/runner-protocol/v1.bare:1:1 CHANGESET_MISSING v1 changed since HEAD, with no changeset for @tunnelwire/protocol: run npm run changeset and say why",
      ])
      const revision = result.all.filter((f) => f.scope === "v1 since HEAD")
      expect(revision.map(line)).toEqual([
        "schemas/runner-protocol/v1.bare:4:3 STRUCT_FIELD_RETYPED Close.code: u16 became u32",
      ])
      expect(revision.every((f) => f.fails)).toBe(true)
      expect(result.exitCode).toBe(100)
    })

    it("lets comments of a released schema change", async () => {
      const target = project()
      target.write("schemas/runner-protocol/v1.bare", `# Released: frozen.\n${V1}`)
      expect((await check(target)).exitCode).toBe(0)
    })
  })

  describe("RELEASED_SCHEMA_REMOVED", () => {
    it("fails when a released schema file is gone", async () => {
      const target = project(null)
      target.write(LOCK, pin(V1, V2))
      rmSync(join(target.root, "schemas/runner-protocol/v2.bare"))
      expect((await check(target)).project).toEqual([
        "schemas/runner-protocol/v2.bare:1:1 RELEASED_SCHEMA_REMOVED v2 is released but schemas/runner-protocol/v2.bare is gone; peers speaking v2 can no longer be served",
      ])
    })

    it("fails when versions.json stops pinning a version the compared commit released", async () => {
      const target = project()
      target.write(".changeset/keep.md", '---\n"@tunnelwire/protocol": patch\n---\n\nx\n')
      commitAll(target, "v1 released")
      target.write(LOCK, formatVersionsLock({ released: {} }))
      const result = await check(target, "HEAD")
      expect(result.project).toEqual([
        "schemas/runner-protocol/v1.bare:1:1 RELEASED_SCHEMA_REMOVED versions.json no longer pins v1, released at HEAD; restore its pin",
      ])
      expect(result.exitCode).toBe(100)
    })

    it("lets a version that was never released be deleted", async () => {
      const target = project(null)
      rmSync(join(target.root, "schemas/runner-protocol/v2.bare"))
      expect(await check(target)).toMatchObject({ project: [], exitCode: 0 })
    })
  })

  describe("UPGRADE_CONVERTER_MISSING and DOWNGRADE_CONVERTER_MISSING", () => {
    it("fail when the hand-written module does not exist, pointing at the changed type", async () => {
      const result = await check(project(null))
      expect(result.project).toEqual([
        `schemas/runner-protocol/v2.bare:3:1 UPGRADE_CONVERTER_MISSING v1 → v2 Close: ${MODULE} does not exist; run tunnelwire gen to scaffold it`,
        `schemas/runner-protocol/v2.bare:3:1 DOWNGRADE_CONVERTER_MISSING v2 → v1 Close: ${MODULE} does not exist; run tunnelwire gen to scaffold it`,
      ])
      expect(result.exitCode).toBe(100)
    })

    it("fail for a direction the module lacks, and for a placeholder nobody wrote", async () => {
      const result = await check(
        project(
          "export const upgrades = {\n  Close: unwrittenUpgradeClose,\n}\nexport const downgrades = {}\n",
        ),
      )
      expect(result.project).toEqual([
        `${MODULE}:2:3 UPGRADE_CONVERTER_MISSING v1 → v2 Close: the scaffolded upgrade is not written yet`,
        `${MODULE}:4:27 DOWNGRADE_CONVERTER_MISSING v2 → v1 Close: ${MODULE} has no downgrade; run tunnelwire gen to scaffold it`,
      ])
    })
  })

  describe("DOWNGRADE_LOSS_UNREPORTED", () => {
    it("warns when a downgrade drops a field without ever reporting a loss, without failing", async () => {
      const silent = UPGRADE_AND_DOWNGRADE.replace(
        /downgrades = \{[\s\S]*$/,
        "downgrades = {\n  Close: (value) => ({ code: value.code }),\n}\n",
      )
      const result = await check(project(silent))
      expect(result.project).toEqual([
        `${MODULE}:5:3 DOWNGRADE_LOSS_UNREPORTED v2 → v1 Close drops retry without calling ctx.loss({ field: "retry" }) for values v1 cannot carry`,
      ])
      expect(result.exitCode).toBe(0)
    })

    it("counts a field the downgrade reads as carried into another shape, not dropped", async () => {
      const carrying = UPGRADE_AND_DOWNGRADE.replace(
        /downgrades = \{[\s\S]*$/,
        "downgrades = {\n  Close: (value) => ({ code: value.retry ? 1012 : value.code }),\n}\n",
      )
      const result = await check(project(carrying))
      expect(result.project).toEqual([])
    })

    it("finds the loss reported in a function the table names", async () => {
      const result = await check(project(UPGRADE_AND_DOWNGRADE))
      expect(result.project).toEqual([])
    })
  })

  describe("CHANGESET_MISSING", () => {
    it("fails when a schema changed since the compared commit and no changeset was added", async () => {
      const target = project()
      commitAll(target, "v1 and v2")
      target.write("schemas/runner-protocol/v2.bare", `${V2}type Ping void\n`)
      const result = await check(target, "HEAD")
      expect(result.project).toEqual([
        "schemas/runner-protocol/v2.bare:1:1 CHANGESET_MISSING v2 changed since HEAD, with no changeset for @tunnelwire/protocol: run npm run changeset and say why",
      ])
      expect(result.exitCode).toBe(100)
    })

    it("passes when a changeset for @tunnelwire/protocol comes with the change", async () => {
      const target = project()
      commitAll(target, "v1 and v2")
      target.write("schemas/runner-protocol/v2.bare", `${V2}type Ping void\n`)
      target.write(".changeset/ping.md", '---\n"@tunnelwire/protocol": minor\n---\n\nWhy.\n')
      const result = await check(target, "HEAD")
      expect(result.project).toEqual([])
      expect(result.all.filter((f) => f.scope === "v2 since HEAD").map(line)).toEqual([
        "schemas/runner-protocol/v2.bare:7:1 TYPE_ADDED Ping added: void",
      ])
      expect(result.exitCode).toBe(0)
    })

    it("asks for nothing when only comments changed", async () => {
      const target = project()
      commitAll(target, "v1 and v2")
      appendFileSync(join(target.root, "schemas/runner-protocol/v2.bare"), "# a note\n")
      expect((await check(target, "HEAD")).exitCode).toBe(0)
    })
  })
})

const UPGRADE_AND_DOWNGRADE = `export const upgrades = {
  Close: (value) => ({ code: value.code, retry: false }),
}
export const downgrades = {
  Close: downgradeClose,
}

function downgradeClose(value, ctx) {
  if (value.retry) ctx.loss({ type: "Close", field: "retry", reason: "v1 cannot retry" })
  return { code: value.code }
}
`
