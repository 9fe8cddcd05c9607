// `tunnelwire-gateway` as npm links it: the bin must be a committed file (npm links bins right
// after `npm ci`, before anything is built), which runs the built gateway.
import { execFile } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const run = promisify(execFile)
const PACKAGE = fileURLToPath(new URL("..", import.meta.url))
const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as {
  bin: Record<string, string>
  files: string[]
}

describe("the tunnelwire-gateway bin", () => {
  it("is a committed file outside dist/, shipped in the package", () => {
    const bin = manifest.bin["tunnelwire-gateway"]!
    expect(bin).not.toMatch(/^(\.\/)?dist\//)
    expect(existsSync(join(PACKAGE, bin))).toBe(true)
    expect(manifest.files).toContain("bin")
  })

  it("runs the built gateway", async () => {
    const bin = join(PACKAGE, manifest.bin["tunnelwire-gateway"]!)
    const { stdout } = await run(process.execPath, [bin, "--help"])
    expect(stdout).toMatch(/^usage: tunnelwire-gateway \[--port 6420\]/)
  })
})
