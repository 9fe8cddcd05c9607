import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { afterEach, describe, expect, it, vi } from "vitest"
import { type TempProject, tempProject } from "../../../test/support/temp-project.ts"
import { fingerprint } from "../../schema/fingerprint.ts"
import { parseSchema } from "../../schema/parse-schema.ts"
import { readVersionsLock } from "../../schema/versions-lock.ts"
import { runBump } from "./command.ts"

const V4 = "schemas/runner-protocol/v4.bare"

describe("tunnelwire bump", () => {
  const projects: TempProject[] = []
  afterEach(() => {
    for (const project of projects.splice(0)) project.remove()
    vi.restoreAllMocks()
  })

  function project(): TempProject {
    const created = tempProject({ schemas: true, protocol: true })
    created.write(".changeset/config.json", "{}\n")
    projects.push(created)
    return created
  }

  function bump(target: TempProject, dryRun = false) {
    const lines: string[] = []
    vi.spyOn(console, "log").mockImplementation((text: string) => void lines.push(text))
    vi.spyOn(console, "error").mockImplementation((text: string) => void lines.push(text))
    const code = runBump({ dryRun, root: target.root })
    vi.restoreAllMocks()
    return { code, output: lines.join("\n") }
  }

  /** Every file of the project with its modification time and size. */
  function snapshot(target: TempProject): string[] {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name)
        if (entry.name === "node_modules") return []
        if (entry.isDirectory()) return walk(path)
        const stat = statSync(path)
        return [`${relative(target.root, path)} ${stat.size} ${stat.mtimeMs}`]
      })
    return walk(target.root).sort()
  }

  it("--dry-run prints the plan and writes nothing", () => {
    const target = project()
    const before = snapshot(target)
    const result = bump(target, true)
    expect(result.code).toBe(0)
    expect(result.output).toBe(
      [
        "tunnelwire bump --dry-run: v3 → v4, nothing written",
        "  create  schemas/runner-protocol/v4.bare: a copy of v3",
        "  create  packages/protocol/src/migrations/v3-to-v4.ts: hand-written converters between v3 and v4",
        "  update  packages/protocol/package.json: export ./v4; ./latest is v4",
        "  create  .changeset/runner-protocol-v4.md: changeset for @tunnelwire/protocol",
        "  write   8 generated file(s) in packages/protocol/src/gen",
      ].join("\n"),
    )
    expect(snapshot(target)).toEqual(before)
  })

  it("opens v4 as a copy of v3, with generated code, converters module, export and changeset", () => {
    const target = project()
    expect(bump(target).code).toBe(0)
    const v3 = parseSchema(target.read("schemas/runner-protocol/v3.bare"), "v3", 3)
    const v4 = parseSchema(target.read(V4), "v4", 4)
    expect(v4.descriptor.types).toEqual(v3.descriptor.types)
    expect(target.read(V4)).toMatch(
      /^# Protocol version 4, opened by `tunnelwire bump` as a copy of v3/,
    )
    expect(target.read("packages/protocol/src/gen/versions.ts")).toContain(
      "export const LATEST_VERSION = 4",
    )
    expect(existsSync(join(target.root, "packages/protocol/src/gen/v4/codec.ts"))).toBe(true)
    expect(target.read("packages/protocol/src/migrations/v3-to-v4.ts")).toContain(
      "export const upgrades = {} satisfies HandWrittenUpgrades",
    )
    const exports = JSON.parse(target.read("packages/protocol/package.json")).exports
    expect(Object.keys(exports)).toEqual([
      ".",
      "./v1",
      "./v2",
      "./v3",
      "./v4",
      "./latest",
      "./package.json",
    ])
    expect(exports["./latest"]).toEqual({
      types: "./dist/gen/v4/index.d.ts",
      default: "./dist/gen/v4/index.js",
    })
    expect(target.read(".changeset/runner-protocol-v4.md")).toMatch(
      /^---\n"@tunnelwire\/protocol": minor\n---\n/,
    )
  })

  it("does nothing when run again before the new version was edited", () => {
    const target = project()
    bump(target)
    const before = snapshot(target)
    const again = bump(target)
    expect(again).toEqual({
      code: 0,
      output:
        "nothing to bump: v4 is not released and still identical to v3: edit schemas/runner-protocol/v4.bare; the next bump releases it and opens v5",
    })
    expect(snapshot(target)).toEqual(before)
  })

  it("releases an edited v4, pinning its fingerprint, and opens v5", () => {
    const target = project()
    bump(target)
    target.write(V4, target.read(V4).replace("\thibernate: bool\n", ""))
    expect(bump(target).code).toBe(0)
    const v4 = parseSchema(target.read(V4), "v4", 4)
    expect(readVersionsLock(target.layout.lockFile).released["4"]).toEqual({
      fingerprint: fingerprint(v4.descriptor),
    })
    expect(existsSync(join(target.root, "schemas/runner-protocol/v5.bare"))).toBe(true)
  })

  it("refuses to build on a released schema that was modified, and exits 100", () => {
    const target = project()
    const v2 = "schemas/runner-protocol/v2.bare"
    target.write(
      v2,
      target.read(v2).replace("type ToServerStopping void", "type ToServerStopping u8"),
    )
    const before = snapshot(target)
    expect(bump(target)).toEqual({
      code: 100,
      output:
        "cannot bump: v2 is released but schemas/runner-protocol/v2.bare no longer has its pinned fingerprint; run tunnelwire check",
    })
    expect(snapshot(target)).toEqual(before)
    expect(readFileSync(join(target.root, v2), "utf8")).toContain("ToServerStopping u8")
  })
})
