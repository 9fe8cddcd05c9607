import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, afterEach, describe, expect, it, vi } from "vitest"
import { main } from "./cli.ts"

describe("tunnelwire CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "tunnelwire-cli-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  afterEach(() => vi.restoreAllMocks())

  const run = async (...argv: string[]) => {
    const out: string[] = []
    const err: string[] = []
    vi.spyOn(console, "log").mockImplementation((text: string) => void out.push(text))
    vi.spyOn(console, "error").mockImplementation((text: string) => void err.push(text))
    vi.spyOn(process.stdout, "write").mockImplementation((text) => out.push(String(text)) > 0)
    vi.spyOn(process.stderr, "write").mockImplementation((text) => err.push(String(text)) > 0)
    const code = await main(argv)
    vi.restoreAllMocks()
    return { code, out: out.join(""), err: err.join("") }
  }

  for (const command of ["gen", "check", "bump"]) {
    it(`${command} --help prints its usage and exits 0`, async () => {
      const result = await run(command, "--help")
      expect(result.code).toBe(0)
      expect(result.out).toMatch(new RegExp(`^Usage: tunnelwire ${command}`))
    })
  }

  it("exits 1 for an unknown command, an unknown option or a bad format", async () => {
    expect((await run("publish")).code).toBe(1)
    expect((await run("check", "--strict")).code).toBe(1)
    const badFormat = await run("check", "--format", "xml")
    expect(badFormat).toMatchObject({
      code: 1,
      err: expect.stringContaining("--format must be one of text, json, github"),
    })
  })

  it("exits 1 when check is given one file, or files and --against", async () => {
    expect((await run("check", "a.bare")).code).toBe(1)
    expect((await run("check", "a.bare", "b.bare", "--against", "HEAD")).code).toBe(1)
  })

  it("compares two schema files: 0 when the change is safe both ways, 100 when it is not", async () => {
    const write = (name: string, source: string) => {
      writeFileSync(join(dir, name), source)
      return join(dir, name)
    }
    const old = write("old.bare", "type A struct {\n  retry: bool\n}\n")
    const renamed = write("renamed.bare", "type A struct {\n  hibernate: bool\n}\n")
    const grown = write("grown.bare", "type A struct {\n  retry: bool\n  n: u8\n}\n")
    expect((await run("check", old, renamed)).code).toBe(0)
    const result = await run("check", old, grown, "--format", "json")
    expect(result.code).toBe(100)
    expect(JSON.parse(result.out).findings.map((f: { rule: string }) => f.rule)).toEqual([
      "STRUCT_FIELD_ADDED",
    ])
  })

  it("reports a schema that does not parse at its file:line:column and exits 100", async () => {
    const old = join(dir, "old.bare")
    writeFileSync(old, "type A struct {\n  retry: bool\n}\n")
    const broken = join(dir, "broken.bare")
    writeFileSync(broken, "type A struct {\n  retry\n}\n")
    const result = await run("check", old, broken)
    expect(result.code).toBe(100)
    expect(result.err).toMatch(/^error .*broken\.bare:3:1: /)
  })
})
