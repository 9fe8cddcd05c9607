import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, afterEach, describe, expect, it, vi } from "vitest"
import { main } from "./cli.ts"

const CHAT = { schemas: "schemas/chat", out: "src/chat/gen", converters: "src/chat/converters" }

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

  for (const command of ["init", "gen", "check", "bump"]) {
    it(`${command} --help prints its usage and exits 0`, async () => {
      const result = await run(command, "--help")
      expect(result.code).toBe(0)
      expect(result.out).toMatch(new RegExp(`^Usage: tunnelwire ${command}`))
    })
  }

  it("prints its version with --version and -v, and its usage with -h, --help and help", async () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    for (const flag of ["--version", "-v"]) {
      expect(await run(flag)).toEqual({ code: 0, out: `${manifest.version}\n`, err: "" })
    }
    for (const flag of ["-h", "--help", "help"]) {
      const result = await run(flag)
      expect(result).toMatchObject({ code: 0, err: "" })
      expect(result.out).toMatch(/^Usage: tunnelwire <command>/)
    }
    expect((await run("help", "check")).out).toMatch(/^Usage: tunnelwire check/)
    expect((await run("gen", "-h")).out).toMatch(/^Usage: tunnelwire gen/)
  })

  it("reports every usage error the same way: the message, then the usage, on stderr, exit 1", async () => {
    const cases: [string[], string, RegExp][] = [
      [[], "tunnelwire: no command given", /^Usage: tunnelwire <command>/m],
      [["publish"], 'tunnelwire: unknown command "publish"', /^Usage: tunnelwire <command>/m],
      [["--bogus"], 'tunnelwire: unknown option "--bogus"', /^Usage: tunnelwire <command>/m],
      [
        ["check", "--bogus"],
        "tunnelwire: check: unknown option --bogus",
        /^Usage: tunnelwire check/m,
      ],
      [
        ["gen", "--check=yes"],
        "tunnelwire: gen: --check takes no value",
        /^Usage: tunnelwire gen/m,
      ],
      [
        ["check", "--format"],
        "tunnelwire: check: --format needs a value",
        /^Usage: tunnelwire check/m,
      ],
      [
        ["check", "--format", "--root", "x"],
        "tunnelwire: check: --format needs a value",
        /^Usage: tunnelwire check/m,
      ],
      [["bump", "v4"], 'tunnelwire: bump: unexpected argument "v4"', /^Usage: tunnelwire bump/m],
      [
        ["check", "a", "b", "c"],
        'tunnelwire: check: unexpected argument "c"',
        /^Usage: tunnelwire check/m,
      ],
      [
        ["check", "--format", "xml"],
        'tunnelwire: check: --format must be one of text, json, github, not "xml"',
        /^Usage: tunnelwire check/m,
      ],
      [
        ["gen", "--format", "github"],
        'tunnelwire: gen: --format must be one of text, json, not "github"',
        /^Usage: tunnelwire gen/m,
      ],
    ]
    for (const [argv, message, usage] of cases) {
      const result = await run(...argv)
      expect(result, argv.join(" ")).toMatchObject({ code: 1, out: "" })
      expect(result.err.split("\n")[0], argv.join(" ")).toBe(message)
      expect(result.err, argv.join(" ")).toMatch(usage)
      // Node's own parseArgs wording never reaches the user.
      expect(result.err).not.toMatch(/ERR_PARSE_ARGS|To specify a positional argument|\n\s+at /)
    }
  })

  it("prints the rule list as JSON under --format json, and as the Markdown table otherwise", async () => {
    const json = await run("check", "--list-rules", "--format", "json")
    expect(json.code).toBe(0)
    const rules: { id: string; fails: string }[] = JSON.parse(json.out)
    expect(rules.find((rule) => rule.id === "RELEASED_SCHEMA_MODIFIED")).toMatchObject({
      category: "RELEASE",
      fails: "always",
    })
    expect(rules.find((rule) => rule.id === "STRUCT_FIELD_ADDED")?.fails).toBe("in-revision")
    expect((await run("check", "--list-rules")).out).toMatch(/^\| rule +\| category/)
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
    expect(result.err).toMatch(/^\S*broken\.bare:3:1: /)
  })

  /** A project with one family, `chat`, whose schemas are in `schemas/chat`. */
  const chatProject = (prefix: string): string => {
    const root = mkdtempSync(join(tmpdir(), prefix))
    mkdirSync(join(root, "schemas", "chat"), { recursive: true })
    writeFileSync(join(root, "tunnelwire.json"), JSON.stringify({ families: { chat: CHAT } }))
    return root
  }

  it("reports a schema gen cannot compile as file:line:col and the reason, without a stack", async () => {
    const root = chatProject("tunnelwire-cli-gen-")
    try {
      writeFileSync(
        join(root, "schemas", "chat", "v1.bare"),
        "type A struct {\n  retry: bool\n}\n\ntype B union { A | Missing }\n",
      )
      const result = await run("gen", "--root", root)
      expect(result.code).toBe(1)
      expect(result.err).toMatch(/^schemas\/chat\/v1\.bare:5:20: .*Missing/)
      expect(result.err.trimEnd().split("\n")).toHaveLength(1)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it("reports a project it cannot work with in one line: a gap between versions", async () => {
    const root = chatProject("tunnelwire-cli-gap-")
    try {
      writeFileSync(join(root, "schemas", "chat", "v2.bare"), "type A u8\n")
      const result = await run("gen", "--root", root)
      expect(result).toMatchObject({ code: 1, out: "" })
      expect(result.err).toBe(
        "tunnelwire gen: family chat: schema versions must run from v1 without gaps; schemas/chat/v1.bare is missing\n",
      )
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  for (const command of ["gen", "check", "bump"]) {
    it(`${command} --family with a family the config does not name is a usage error`, async () => {
      const root = chatProject("tunnelwire-cli-family-")
      try {
        const result = await run(command, "--root", root, "--family", "chatt")
        expect(result).toMatchObject({ code: 1, out: "" })
        expect(result.err).toContain(
          `tunnelwire: ${command}: --family chatt: ${join(root, "tunnelwire.json")} names no such family; it has chat\n\nUsage: tunnelwire ${command}`,
        )
      } finally {
        rmSync(root, { recursive: true, force: true })
      }
    })
  }

  it("reports a config it cannot use in one line naming the file and the key", async () => {
    const root = chatProject("tunnelwire-cli-config-")
    try {
      const config = join(root, "tunnelwire.json")
      writeFileSync(config, JSON.stringify({ families: { chat: { ...CHAT, out: 7 } } }))
      expect(await run("gen", "--root", root)).toEqual({
        code: 1,
        out: "",
        err: `${config}: families.chat.out: must be a string, not a number\n`,
      })
      writeFileSync(config, '{\n  "families": {\n    "chat": {,\n')
      const result = await run("check", "--config", config)
      expect(result.code).toBe(1)
      expect(result.err).toMatch(new RegExp(`^${config}:3:14: invalid JSON: .+\\n$`))
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it("without a config anywhere up from the working directory, says to run init", async () => {
    const root = mkdtempSync(join(tmpdir(), "tunnelwire-cli-noconfig-"))
    const cwd = process.cwd()
    try {
      process.chdir(root)
      const result = await run("gen")
      expect(result.code).toBe(1)
      expect(result.err).toMatch(
        /^tunnelwire: gen: no tunnelwire\.json in .* or any parent; run `tunnelwire init <family>`/,
      )
    } finally {
      process.chdir(cwd)
      rmSync(root, { recursive: true, force: true })
    }
  })

  it("bump with several families and no --family is a usage error naming them", async () => {
    const root = chatProject("tunnelwire-cli-several-")
    try {
      const presence = {
        schemas: "schemas/presence",
        out: "src/presence/gen",
        converters: "src/presence/converters",
      }
      writeFileSync(
        join(root, "tunnelwire.json"),
        JSON.stringify({ families: { chat: CHAT, presence } }),
      )
      const result = await run("bump", "--root", root)
      expect(result.code).toBe(1)
      expect(result.err).toMatch(
        /^tunnelwire: bump: the config names several families \(chat, presence\); pick one with --family\n/,
      )
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it("init without a family name is a usage error", async () => {
    const result = await run("init")
    expect(result.code).toBe(1)
    expect(result.err).toMatch(
      /^tunnelwire: init: name the family to scaffold\n\nUsage: tunnelwire init/,
    )
  })
})
