// Outside the workspace, end to end: the CLI and every workspace package generated code needs
// at run time are packed with `npm pack`, installed into a new npm project from the tarballs,
// and used there as a user would: init, gen, encode and decode, bump, evolve v2 (a changed
// struct, a snake_case field, fixed-length data in a struct), typed holes that fail `tsc` until
// written, check, and an edit to a released version that check refuses.
//
// Slow (packing, `npm install`, `tsc`): it runs with `npm test`, under its own generous timeout.
// Installs prefer npm's cache; only what the cache lacks comes from the registry.
import { type SpawnSyncReturns, spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { REPO_ROOT } from "../support/temp-project.ts"

const TIMEOUT = 15 * 60_000

interface Workspace {
  readonly name: string
  readonly dir: string
  readonly dependencies: readonly string[]
}

/** Every workspace package of the repository, by name. */
function workspaces(): Map<string, Workspace> {
  const found = new Map<string, Workspace>()
  for (const parent of ["packages", "tools"]) {
    for (const entry of readdirSync(join(REPO_ROOT, parent))) {
      const dir = join(REPO_ROOT, parent, entry)
      let manifest: { name: string; dependencies?: Record<string, string> }
      try {
        manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
      } catch {
        continue
      }
      found.set(manifest.name, {
        name: manifest.name,
        dir,
        dependencies: Object.keys(manifest.dependencies ?? {}),
      })
    }
  }
  return found
}

/** Bare specifiers the repository's generated code imports (`@scope/name` or `name`). */
function generatedImports(): Set<string> {
  const gen = join(REPO_ROOT, "packages", "protocol", "src", "gen")
  const specifiers = new Set<string>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else {
        for (const [, specifier] of readFileSync(path, "utf8").matchAll(/from "([^".][^"]*)"/g)) {
          const parts = specifier!.split("/")
          specifiers.add(specifier!.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!)
        }
      }
    }
  }
  walk(gen)
  return specifiers
}

/** The CLI and the workspace packages generated code imports, with their workspace dependencies. */
function packagesToPack(): Workspace[] {
  const all = workspaces()
  const wanted = ["tunnelwire", ...[...generatedImports()].filter((name) => all.has(name))]
  const closure = new Map<string, Workspace>()
  while (wanted.length > 0) {
    const workspace = all.get(wanted.pop()!)!
    if (closure.has(workspace.name)) continue
    closure.set(workspace.name, workspace)
    wanted.push(...workspace.dependencies.filter((name) => all.has(name)))
  }
  return [...closure.values()]
}

/** The environment without what `npm test` sets for the repository's own npm. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^npm_/i.test(key) && key !== "INIT_CWD" && key !== "NODE_OPTIONS",
  ),
)

function run(cwd: string, command: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    env: { ...cleanEnv, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: TIMEOUT,
  })
}

/** Runs a command that must succeed, failing the test with its output otherwise. */
function ok(cwd: string, command: string, ...args: string[]): string {
  const result = run(cwd, command, ...args)
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    )
  }
  return result.stdout
}

const V2_SCHEMA = `# demo v2: Greeting gains a language, and a Ping travels too.

type Greeting struct {
  id: u32
  text: str
  lang: str
}

type Farewell struct {
  id: u32
}

type Ping struct {
  sent_at_ms: u64
  nonce: data[8]
}

type Message union {
  Greeting | Farewell | Ping
}
`

const CONVERTERS = `import type { HandWrittenDowngrades, HandWrittenUpgrades } from "../gen/migrations/v1-v2.js"

export const upgrades = {
  /** v1 speakers all speak English. */
  Greeting: (value) => ({ ...value, lang: "en" }),
} satisfies HandWrittenUpgrades

export const downgrades = {
  Greeting: ({ lang, ...value }, ctx) => {
    if (lang !== "en") ctx.loss({ type: "Greeting", field: "lang", reason: "v1 has no language" })
    return value
  },
} satisfies HandWrittenDowngrades
`

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    rootDir: "src",
    outDir: "dist",
    types: [],
    lib: ["ES2022"],
  },
  include: ["src"],
}

// No @types/node in the project: the script prints through a declared console.
const MAIN_V1 = `declare const console: { log(text: string): void }
import { decodeMessage, encodeMessage } from "./demo/gen/v1/index.js"

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")
const bytes = encodeMessage({ tag: "Greeting", val: { id: 7, text: "hi" } })
console.log(hex(bytes))
console.log(JSON.stringify(decodeMessage(bytes)))
`

const MAIN_V2 = `declare const console: { log(text: string): void }
import * as v2 from "./demo/gen/v2/index.js"
import { decodeMessage, encodeMessage } from "./demo/gen/versioned.js"

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")
const greeting = { tag: "Greeting", val: { id: 7, text: "hi", lang: "en" } } as const
console.log(hex(encodeMessage(greeting, { version: 1 })))
console.log(JSON.stringify(decodeMessage(new Uint8Array([0, 7, 0, 0, 0, 2, 0x68, 0x69]), { version: 1 })))
const nonce = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer
const ping = v2.encodeMessage({ tag: "Ping", val: { sentAtMs: 5n, nonce } })
console.log(hex(ping))
const back = v2.decodeMessage(ping)
if (back.tag === "Ping") console.log(String(back.val.sentAtMs) + " " + hex(new Uint8Array(back.val.nonce)))
`

describe("tunnelwire packed and installed in a new npm project", () => {
  let project = ""
  const tarballs: string[] = []
  let packDir = ""
  const cleanup: string[] = []
  afterAll(() => {
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true })
  })

  beforeAll(() => {
    packDir = mkdtempSync(join(tmpdir(), "tunnelwire-pack-"))
    project = mkdtempSync(join(tmpdir(), "tunnelwire-packed-demo-"))
    cleanup.push(packDir, project)
    for (const workspace of packagesToPack()) {
      ok(REPO_ROOT, "npm", "run", "build", "--workspace", workspace.name)
      const packed = JSON.parse(
        ok(workspace.dir, "npm", "pack", "--json", "--pack-destination", packDir),
      ) as { filename: string }[]
      tarballs.push(join(packDir, packed[0]!.filename))
    }
    writeFileSync(
      join(project, "package.json"),
      `${JSON.stringify({ name: "packed-demo", version: "1.0.0", private: true, type: "module" }, null, 2)}\n`,
    )
  }, TIMEOUT)

  it(
    "inits, generates, encodes and decodes, bumps, evolves and checks a family",
    () => {
      // The CLI, and the runtime generated code imports (found in this repository's own).
      expect(tarballs.map((path) => path.slice(packDir.length + 1)).sort()).toEqual([
        expect.stringMatching(/^tunnelwire-\d+\.\d+\.\d+\.tgz$/),
        expect.stringMatching(/^tunnelwire-runtime-\d+\.\d+\.\d+\.tgz$/),
      ])
      ok(
        project,
        "npm",
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        ...tarballs,
        "typescript@5.9.3",
      )
      const version = JSON.parse(
        readFileSync(join(REPO_ROOT, "tools", "tunnelwire", "package.json"), "utf8"),
      ).version
      expect(ok(project, "npx", "tunnelwire", "--version")).toBe(`${version}\n`)

      // init, edit nothing, gen
      const init = ok(project, "npx", "tunnelwire", "init", "demo")
      expect(init).toContain("create  schemas/demo/v1.bare: the first version's schema, to edit")
      expect(init).toContain("create  tunnelwire.json: the family demo")
      expect(init).not.toContain("npm install")
      const gen = ok(project, "npx", "tunnelwire", "gen")
      expect(gen).toContain("wrote src/demo/gen/v1/codec.ts")
      expect(gen).toContain("wrote src/demo/gen/versioned.ts")

      // encode and decode with the generated codec, compiled by the project's own tsc
      writeFileSync(join(project, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2))
      writeFileSync(join(project, "src", "main.ts"), MAIN_V1)
      ok(project, "npx", "tsc", "-p", ".")
      expect(ok(project, "node", "dist/main.js")).toBe(
        '0007000000026869\n{"tag":"Greeting","val":{"id":7,"text":"hi"}}\n',
      )

      // bump releases v1 and opens v2
      const bump = ok(project, "npx", "tunnelwire", "bump")
      expect(bump).toContain("tunnelwire bump: v1 → v2")
      expect(bump).toContain("next: edit schemas/demo/v2.bare, then run tunnelwire gen")
      const lock = JSON.parse(readFileSync(join(project, "schemas/demo/versions.json"), "utf8"))
      expect(Object.keys(lock.released)).toEqual(["1"])

      // v2 changes Greeting: gen leaves typed holes that fail tsc exactly there
      writeFileSync(join(project, "schemas/demo/v2.bare"), V2_SCHEMA)
      const holes = ok(project, "npx", "tunnelwire", "gen")
      expect(holes).toContain(
        "added to src/demo/converters/v1-to-v2.ts: upgrade Greeting, downgrade Greeting (to be written)",
      )
      const failing = run(project, "npx", "tsc", "-p", ".")
      expect(failing.status).not.toBe(0)
      const errors = failing.stdout.split("\n").filter((line) => line.includes("error TS"))
      expect(errors.map((line) => /Cannot find name '(\w+)'/.exec(line)?.[1]).sort()).toEqual([
        "unwrittenDowngradeGreeting",
        "unwrittenUpgradeGreeting",
      ])
      expect(errors.every((line) => line.startsWith("src/demo/converters/v1-to-v2.ts("))).toBe(true)

      // written, the project compiles, and v2 code talks to v1 peers
      writeFileSync(join(project, "src/demo/converters/v1-to-v2.ts"), CONVERTERS)
      writeFileSync(join(project, "src", "main.ts"), MAIN_V2)
      ok(project, "npx", "tsc", "-p", ".")
      expect(ok(project, "node", "dist/main.js")).toBe(
        [
          "0007000000026869",
          '{"tag":"Greeting","val":{"id":7,"text":"hi","lang":"en"}}',
          "0205000000000000000102030405060708",
          "5 0102030405060708",
          "",
        ].join("\n"),
      )

      // check: the changes between versions inform, the converters are written: exit 0
      const check = run(project, "npx", "tunnelwire", "check", "--format", "json")
      expect(check.status).toBe(0)
      const report = JSON.parse(check.stdout)
      expect(report).toMatchObject({ family: "demo", ok: true, versions: [1, 2], released: [1] })
      expect(report.findings.map((f: { rule: string }) => f.rule).sort()).toEqual([
        "STRUCT_FIELD_ADDED",
        "TYPE_ADDED",
        "UNION_MEMBER_ADDED",
      ])

      // editing released v1 in place breaks the release: exit 100, and the rule says why
      const v1 = join(project, "schemas/demo/v1.bare")
      writeFileSync(v1, readFileSync(v1, "utf8").replace("text: str", "text: data"))
      const broken = run(project, "npx", "tunnelwire", "check")
      expect(broken.status).toBe(100)
      expect(broken.stdout).toMatch(/schemas\/demo\/v1\.bare:\d+:\d+ RELEASED_SCHEMA_MODIFIED /)
    },
    TIMEOUT,
  )
})
