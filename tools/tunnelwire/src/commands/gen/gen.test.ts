import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it, vi } from "vitest"
import { tempProject } from "../../../test/support/temp-project.ts"
import { GENERATED_MARK } from "../../codegen/generated-header.ts"
import { selectFamilies } from "../../config/find-config.ts"
import { applyGeneration } from "./apply.ts"
import { runGen } from "./command.ts"
import { planGeneration } from "./plan.ts"

const root = fileURLToPath(new URL("../../../../../", import.meta.url))
const layoutAt = (dir: string) => selectFamilies({ root: dir, family: "runner-protocol" })[0]!
const layout = layoutAt(root)

function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "tunnelwire-gen-"))
  cpSync(join(root, "tunnelwire.json"), join(dir, "tunnelwire.json"))
  cpSync(join(root, "schemas"), join(dir, "schemas"), { recursive: true })
  cpSync(layout.genDir, layoutAt(dir).genDir, { recursive: true })
  // Gen reads the hand-written converters too (a module may replace a generated converter).
  cpSync(layout.convertersDir, layoutAt(dir).convertersDir, { recursive: true })
  return dir
}

describe("tunnelwire gen", () => {
  const temporary: string[] = []
  afterEach(() => {
    for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true })
    vi.restoreAllMocks()
  })

  it("plans the same bytes every time", () => {
    expect(planGeneration(layout)).toEqual(planGeneration(layout))
  })

  it("matches the committed generated code", () => {
    const changes = applyGeneration(layout.genDir, planGeneration(layout), { dryRun: true })
    expect(changes).toEqual({ written: [], removed: [] })
  })

  it("writes files that are marked generated and import nothing from node:", () => {
    for (const file of planGeneration(layout)) {
      expect(file.content.startsWith(GENERATED_MARK), file.path).toBe(true)
      expect(file.content, file.path).not.toMatch(/from "node:|require\(/)
    }
  })

  it("emits codec, encoder, schema and facade modules for every version, migrations between them, and lent readers where v3 → v4 copies out of the ids", () => {
    const names = planGeneration(layout).map((f) => f.path.slice(layout.genDir.length + 1))
    expect(names.sort()).toEqual([
      "migrations/v1-v2.ts",
      "migrations/v2-v3.ts",
      "migrations/v3-v4.ts",
      "migrations/v4-v5.ts",
      "migrations/v5-v6.ts",
      "migrations/v6-v7.ts",
      "v1/codec.ts",
      "v1/encoders.ts",
      "v1/index.ts",
      "v1/lent.ts",
      "v1/schema.ts",
      "v2/codec.ts",
      "v2/encoders.ts",
      "v2/index.ts",
      "v2/lent.ts",
      "v2/schema.ts",
      "v3/codec.ts",
      "v3/encoders.ts",
      "v3/index.ts",
      "v3/lent.ts",
      "v3/schema.ts",
      "v4/codec.ts",
      "v4/encoders.ts",
      "v4/index.ts",
      "v4/schema.ts",
      "v5/codec.ts",
      "v5/encoders.ts",
      "v5/index.ts",
      "v5/schema.ts",
      "v6/codec.ts",
      "v6/encoders.ts",
      "v6/index.ts",
      "v6/schema.ts",
      "v7/codec.ts",
      "v7/encoders.ts",
      "v7/index.ts",
      "v7/schema.ts",
      "versioned-v2.ts",
      "versioned-v3.ts",
      "versioned-v4.ts",
      "versioned-v5.ts",
      "versioned-v6.ts",
      "versioned.ts",
      "versions.ts",
    ])
  })

  it("--check exits 100 when a schema changed without regenerating, and 0 after gen", () => {
    vi.spyOn(console, "log").mockImplementation(() => {})
    vi.spyOn(console, "error").mockImplementation(() => {})
    const dir = copyProject()
    temporary.push(dir)
    expect(runGen({ check: true, root: dir })).toBe(0)
    const v3 = join(layoutAt(dir).schemaDir, "v3.bare")
    writeFileSync(
      v3,
      readFileSync(v3, "utf8").replace(
        "type ToServerStopping void",
        "type ToServerStopping struct { reason: str }",
      ),
    )
    expect(runGen({ check: true, root: dir })).toBe(100)
    expect(runGen({ check: false, root: dir })).toBe(0)
    expect(runGen({ check: true, root: dir })).toBe(0)
    const codec = readFileSync(join(layoutAt(dir).genDir, "v3", "codec.ts"), "utf8")
    expect(codec).toContain("readonly reason: string")
  })

  it("scaffolds the converters a schema edit calls for and leaves the written ones untouched", () => {
    vi.spyOn(console, "log").mockImplementation(() => {})
    const project = tempProject({ schemas: true, protocol: true })
    temporary.push(project.root)
    const v3 = "schemas/runner-protocol/v3.bare"
    const module = "packages/protocol/src/migrations/v2-to-v3.ts"
    const written = project.read(module)
    project.write(
      v3,
      project
        .read(v3)
        .replace("type ToServerStopping void", "type ToServerStopping struct { reason: str }"),
    )
    expect(runGen({ check: false, root: project.root })).toBe(0)
    const scaffolded = project.read(module)
    const holes = [...scaffolded.matchAll(/^ {2}(\w+): (unwritten\w+),$/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    )
    expect(holes).toEqual([
      "ToServerStopping unwrittenUpgradeToServerStopping",
      "ToServerStopping unwrittenDowngradeToServerStopping",
    ])
    const withoutHoles = scaffolded.replace(
      /^ {2}\/\/ Write this[^\n]*\n( {2}\/\/ - [^\n]*\n)*^ {2}\w+: unwritten\w+,\n/gm,
      "",
    )
    expect(withoutHoles).toBe(written)
    expect(runGen({ check: false, root: project.root })).toBe(0)
    expect(project.read(module)).toBe(scaffolded)
  })

  it("creates the hand-written converters module with a placeholder per converter when it is missing", () => {
    vi.spyOn(console, "log").mockImplementation(() => {})
    const project = tempProject({ schemas: true })
    temporary.push(project.root)
    expect(runGen({ check: false, root: project.root })).toBe(0)
    const created = project.read("packages/protocol/src/migrations/v2-to-v3.ts")
    expect(
      [...created.matchAll(/^ {2}(\w+): unwritten(Upgrade|Downgrade)\w+,$/gm)].map(
        (m) => `${m[2]} ${m[1]}`,
      ),
    ).toEqual([
      "Upgrade CommandStartActor",
      "Upgrade ToServerWebSocketOpen",
      "Upgrade ToServerWebSocketClose",
      "Downgrade CommandStartActor",
      "Downgrade ToServerWebSocketOpen",
      "Downgrade ToServerWebSocketClose",
    ])
    expect(created).toContain(
      "  // - retry is now called hibernate\n  ToServerWebSocketClose: unwrittenUpgrade",
    )
  })

  it("removes generated files of a schema version that no longer exists, and nothing else", () => {
    vi.spyOn(console, "log").mockImplementation(() => {})
    const dir = copyProject()
    temporary.push(dir)
    const genDir = layoutAt(dir).genDir
    writeFileSync(join(genDir, "v3", "notes.ts"), "// hand-written, not generated\n")
    writeFileSync(join(genDir, "v9.ts"), `${GENERATED_MARK} from an old schema\n`)
    runGen({ check: false, root: dir })
    expect(readFileSync(join(genDir, "v3", "notes.ts"), "utf8")).toContain("hand-written")
    expect(() => readFileSync(join(genDir, "v9.ts"))).toThrow()
  })
})
