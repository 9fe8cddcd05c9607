// The whole life of a protocol version, in a throwaway copy of this repository: bump opens v4,
// an edit drops `hibernate` from ToServerWebSocketClose, gen scaffolds the two converters that
// edit calls for, the protocol package stops compiling until they are written, check reports
// the change, and a later edit to the released v3 fails the check.
import { execFile } from "node:child_process"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "vitest"
import { REPO_ROOT, tempProject } from "../support/temp-project.ts"

const run = promisify(execFile)
const project = tempProject({ schemas: true, protocol: true, workspace: true })
const MODULE = "packages/protocol/src/migrations/v3-to-v4.ts"
const V3 = "schemas/runner-protocol/v3.bare"
const V4 = "schemas/runner-protocol/v4.bare"

interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

async function command(file: string, args: readonly string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: project.root,
      env: { ...process.env, NO_COLOR: "1" },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: unknown; stderr?: unknown }
    if (typeof failed.code !== "number") throw error
    return { code: failed.code, stdout: String(failed.stdout), stderr: String(failed.stderr) }
  }
}

const tunnelwire = (...args: string[]) =>
  command(process.execPath, [join(project.root, "tools/tunnelwire/bin/tunnelwire.js"), ...args])

const typecheck = () =>
  command(process.execPath, [
    join(REPO_ROOT, "node_modules/typescript/bin/tsc"),
    "--noEmit",
    "-p",
    join(project.root, "packages/protocol/tsconfig.json"),
  ])

interface JsonFinding {
  readonly rule: string
  readonly oldReaderNewWriter: string
  readonly newReaderOldWriter: string
  readonly fails: boolean
  readonly scope: string
  readonly file: string
  readonly line: number
  readonly column: number
  readonly message: string
}

async function checkJson(): Promise<{ code: number; findings: JsonFinding[] }> {
  const outcome = await tunnelwire("check", "--format", "json")
  const parsed: { findings: JsonFinding[] } = JSON.parse(outcome.stdout)
  return { code: outcome.code, findings: parsed.findings }
}

// Each step runs the CLI and the TypeScript compiler over the whole protocol package: on a shared
// two-core machine that alone can take a minute.
describe("bump → edit v4 → gen → write converters → check → edit v3", { timeout: 180_000 }, () => {
  afterAll(() => project.remove())

  it("bump opens v4, and bumping again before editing it does nothing", async () => {
    const first = await tunnelwire("bump")
    expect(first.code).toBe(0)
    expect(first.stdout).toContain("create  schemas/runner-protocol/v4.bare: a copy of v3")
    const again = await tunnelwire("bump")
    expect(again).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^nothing to bump: v4 is not released/),
    })
    expect(() => project.read("schemas/runner-protocol/v5.bare")).toThrow()
  })

  it("gen scaffolds both converters for dropping hibernate, and the protocol package no longer compiles", async () => {
    project.write(V4, project.read(V4).replace("\thibernate: bool\n", ""))
    const gen = await tunnelwire("gen")
    expect(gen.code).toBe(0)
    expect(gen.stdout).toContain(
      `added to ${MODULE}: upgrade ToServerWebSocketClose, downgrade ToServerWebSocketClose (to be written)`,
    )
    const tsc = await typecheck()
    expect(tsc.code).not.toBe(0)
    expect(tsc.stdout.trim().split("\n")).toEqual([
      `${MODULE}(9,27): error TS2304: Cannot find name 'unwrittenUpgradeToServerWebSocketClose'.`,
      `${MODULE}(15,27): error TS2304: Cannot find name 'unwrittenDowngradeToServerWebSocketClose'.`,
    ])
  })

  it("check fails while the scaffolded converters are not written", async () => {
    const { code, findings } = await checkJson()
    expect(code).toBe(100)
    expect(
      findings.filter((f) => f.fails).map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`),
    ).toEqual([
      `${MODULE}:9:3 UPGRADE_CONVERTER_MISSING`,
      `${MODULE}:15:3 DOWNGRADE_CONVERTER_MISSING`,
    ])
  })

  it("with the converters written the package compiles and they convert as written", async () => {
    project.write(
      MODULE,
      project
        .read(MODULE)
        .replace(
          "unwrittenUpgradeToServerWebSocketClose",
          "(value) => ({ code: value.code, reason: value.reason })",
        )
        .replace(
          "unwrittenDowngradeToServerWebSocketClose",
          "(value) => ({ code: value.code, reason: value.reason, hibernate: false })",
        ),
    )
    expect(await typecheck()).toMatchObject({ code: 0, stdout: "" })

    const versioned: unknown = await import(
      pathToFileURL(join(project.root, "packages/protocol/src/gen/versioned.ts")).href
    )
    const v3: unknown = await import(
      pathToFileURL(join(project.root, "packages/protocol/src/gen/v3/index.ts")).href
    )
    const close = (val: object) => ({
      tag: "ToServerTunnelMessage",
      val: {
        requestId: new Uint8Array(16).buffer,
        messageId: new Uint8Array(16).fill(1).buffer,
        messageKind: { tag: "ToServerWebSocketClose", val },
      },
    })
    const asV3 = call(versioned, "encodeToServer", close({ code: 1000, reason: "bye" }), {
      version: 3,
    })
    expect(call(v3, "decodeToServer", asV3)).toEqual(
      close({ code: 1000, reason: "bye", hibernate: false }),
    )
    const fromV3 = call(v3, "encodeToServer", close({ code: 1001, reason: null, hibernate: true }))
    expect(call(versioned, "decodeToServer", fromV3, { version: 3 })).toEqual(
      close({ code: 1001, reason: null }),
    )
  })

  it("check reports the dropped field as BREAKING both ways and passes", async () => {
    const { code, findings } = await checkJson()
    expect(findings.filter((f) => f.scope === "v3 → v4")).toEqual([
      {
        rule: "STRUCT_FIELD_REMOVED",
        category: "WIRE",
        oldReaderNewWriter: "BREAKING",
        newReaderOldWriter: "BREAKING",
        fails: false,
        scope: "v3 → v4",
        file: V3,
        line: 249,
        column: 2,
        message: "ToServerWebSocketClose.hibernate (bool) removed; it was field 3 of 3",
      },
    ])
    expect(findings.filter((f) => f.fails)).toEqual([])
    expect(code).toBe(0)
  })

  it("editing the released v3 afterwards fails with RELEASED_SCHEMA_MODIFIED", async () => {
    project.write(
      V3,
      project
        .read(V3)
        .replace("type ToServerStopping void", "type ToServerStopping struct {\n\treason: str\n}"),
    )
    const { code, findings } = await checkJson()
    expect(findings.filter((f) => f.rule === "RELEASED_SCHEMA_MODIFIED")).toEqual([
      expect.objectContaining({
        fails: true,
        file: V3,
        line: 1,
        column: 1,
        message: expect.stringMatching(
          /^v3 was released as sha256:b3288bf125fc \(versions\.json\) and is now sha256:\w{12}; /,
        ),
      }),
    ])
    expect(code).toBe(100)
    const text = await tunnelwire("check")
    expect(text.stdout).toMatch(
      /^ {2}error schemas\/runner-protocol\/v3\.bare:1:1 RELEASED_SCHEMA_MODIFIED BREAKING\/BREAKING v3 was released/m,
    )
  })
})

/** Calls an exported function of a module loaded at run time. */
function call(module: unknown, name: string, ...args: unknown[]): unknown {
  const exported =
    typeof module === "object" && module !== null ? Reflect.get(module, name) : undefined
  if (typeof exported !== "function") throw new Error(`${name} is not exported`)
  return Reflect.apply(exported, undefined, args)
}
