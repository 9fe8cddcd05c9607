// The `tunnelwire` bin as npm links it: a committed JavaScript file that runs the compiled CLI,
// and in a fresh clone (no dist/ yet, as right after `npm ci`) compiles it first.
import { execFile } from "node:child_process"
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "vitest"
import { REPO_ROOT } from "./support/temp-project.ts"

const run = promisify(execFile)
const PACKAGE = fileURLToPath(new URL("..", import.meta.url))
const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as {
  version: string
  bin: { tunnelwire: string }
  files: string[]
}

describe("the tunnelwire bin", () => {
  const clone = mkdtempSync(join(tmpdir(), "tunnelwire-bin-"))
  afterAll(() => rmSync(clone, { recursive: true, force: true }))

  it("is a committed file outside dist/, shipped in the package", () => {
    expect(manifest.bin.tunnelwire).toBe("bin/tunnelwire.js")
    expect(existsSync(join(PACKAGE, manifest.bin.tunnelwire))).toBe(true)
    expect(manifest.files).toEqual(expect.arrayContaining(["bin", "dist"]))
  })

  it("runs the compiled CLI", async () => {
    const { stdout, stderr } = await run(process.execPath, [
      join(PACKAGE, "bin/tunnelwire.js"),
      "-v",
    ])
    expect({ stdout, stderr }).toEqual({ stdout: `${manifest.version}\n`, stderr: "" })
  })

  it("compiles dist/ on its first run in a fresh clone, then runs it", async () => {
    const tools = join(clone, "tools", "tunnelwire")
    for (const part of ["bin", "src", "package.json", "tsconfig.build.json"]) {
      cpSync(join(PACKAGE, part), join(tools, part), { recursive: true })
    }
    // The runtime the CLI imports is not built in a fresh clone either: the bin builds it first.
    const runtime = join(clone, "packages", "runtime")
    for (const part of ["src", "package.json", "tsconfig.build.json"]) {
      cpSync(join(REPO_ROOT, "packages", "runtime", part), join(runtime, part), { recursive: true })
    }
    cpSync(join(REPO_ROOT, "tsconfig.base.json"), join(clone, "tsconfig.base.json"))
    // The repository's modules, but the workspace link to the runtime points into the clone.
    const modules = join(clone, "node_modules")
    mkdirSync(join(modules, "@tunnelwire"), { recursive: true })
    for (const entry of readdirSync(join(REPO_ROOT, "node_modules"))) {
      if (entry === "@tunnelwire") continue
      symlinkSync(join(REPO_ROOT, "node_modules", entry), join(modules, entry))
    }
    symlinkSync(runtime, join(modules, "@tunnelwire", "runtime"), "dir")
    const bin = join(tools, "bin", "tunnelwire.js")
    const first = await run(process.execPath, [bin, "--version"])
    expect(first).toEqual({
      stdout: `${manifest.version}\n`,
      stderr: "tunnelwire: compiling the CLI into dist/ (first run in this clone)\n",
    })
    expect(existsSync(join(tools, "dist", "cli.js"))).toBe(true)
    expect(existsSync(join(runtime, "dist", "codegen.js"))).toBe(true)
    const second = await run(process.execPath, [bin, "--version"])
    expect(second).toEqual({ stdout: `${manifest.version}\n`, stderr: "" })
  }, 180_000)
})
