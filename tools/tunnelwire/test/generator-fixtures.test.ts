// Schema histories unlike the runner protocol's (test/fixtures/histories/<name>/): snake_case
// fields, fixed-length data inside structs, one-member unions, maps, enums and optionals nested
// in lists and structs. For each: `gen` must produce exactly the golden output checked in beside
// the schemas, that output and the fixture's hand-written converters must typecheck, and the
// generated code must encode and decode values in every version and across versions.
//
// After an intended change to the generator: TUNNELWIRE_UPDATE_GOLDEN=1 npx vitest run
// test/generator-fixtures.test.ts, then review the diff of the golden files.
import { execFile } from "node:child_process"
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "vitest"
import { applyGeneration } from "../src/commands/gen/apply.ts"
import { planGeneration } from "../src/commands/gen/plan.ts"
import { planScaffolds } from "../src/commands/gen/plan-scaffolds.ts"
import { type FamilyLayout, familyLayout, readSchemaFiles } from "../src/config/family-layout.ts"
import { parseSchemaFiles } from "../src/schema/project-schemas.ts"
import { REPO_ROOT } from "./support/temp-project.ts"

const HISTORIES = fileURLToPath(new URL("fixtures/histories/", import.meta.url))
const UPDATE = process.env.TUNNELWIRE_UPDATE_GOLDEN === "1"
const run = promisify(execFile)

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

/**
 * A project holding the fixture's schemas, golden generated code and converters: the generated
 * code needs nothing but @tunnelwire/runtime, as in a user's project.
 */
function projectFor(history: string): { root: string; layout: FamilyLayout } {
  const root = mkdtempSync(join(tmpdir(), `tunnelwire-fixture-${history}-`))
  cpSync(join(HISTORIES, history), root, { recursive: true })
  cpSync(join(REPO_ROOT, "tsconfig.base.json"), join(root, "tsconfig.base.json"))
  writeFileSync(
    join(root, "packages", "protocol", "package.json"),
    JSON.stringify({ name: `${history}-protocol`, private: true, type: "module" }),
  )
  writeFileSync(
    join(root, "packages", "protocol", "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.base.json",
      compilerOptions: { noEmit: true, types: [] },
      include: ["src/gen", "src/migrations"],
    }),
  )
  // The generated code resolves @tunnelwire/runtime (built) from the repository's modules.
  symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"), "dir")
  return { root, layout: familyLayout(root, history, FIXTURE_FAMILY) }
}

/** Each history is laid out like the runner protocol in this repository. */
const FIXTURE_FAMILY = {
  schemas: "schemas/runner-protocol",
  out: "packages/protocol/src/gen",
  converters: "packages/protocol/src/migrations",
  regenerate: "npm run gen",
}

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill).buffer
const hex = (data: Uint8Array) => Buffer.from(data).toString("hex")

/** What the tests use of a generated `versioned.ts`, for a root type named `Root`. */
type Versioned<Root extends string> = Record<
  `encode${Root}`,
  (message: unknown, options: { version: number; lossy?: "drop" }) => Uint8Array | null
> &
  Record<`decode${Root}`, (bytes: Uint8Array, options: { version: number }) => unknown>

const histories = readdirSync(HISTORIES).sort()
const projects = new Map<string, { root: string; layout: FamilyLayout }>()

/** The history's project, made on first use and removed after all tests. */
function project(history: string): { root: string; layout: FamilyLayout } {
  let made = projects.get(history)
  if (made === undefined) {
    made = projectFor(history)
    projects.set(history, made)
  }
  return made
}

afterAll(() => {
  for (const { root } of projects.values()) rmSync(root, { recursive: true, force: true })
})

describe("generator fixtures", () => {
  it("cover several histories", () => {
    expect(histories).toEqual(["kv-store", "presence", "sensor-feed"])
  })

  for (const history of histories) {
    describe(history, () => {
      it("generates exactly the golden output", () => {
        const fixture = familyLayout(join(HISTORIES, history), history, FIXTURE_FAMILY)
        const planned = planGeneration(fixture)
        if (UPDATE) applyGeneration(fixture.genDir, planned, { dryRun: false })
        const golden = listFiles(fixture.genDir).sort()
        expect(planned.map((file) => file.path).sort()).toEqual(golden)
        for (const file of planned) {
          expect(file.content, relative(fixture.root, file.path)).toBe(
            readFileSync(file.path, "utf8"),
          )
        }
      })

      it("has every converter written, so gen scaffolds nothing", () => {
        const { layout } = project(history)
        const schemas = parseSchemaFiles(layout, readSchemaFiles(layout))
        const scaffolds = planScaffolds(
          layout,
          schemas.map((s) => s.descriptor),
        )
        expect(scaffolds.files).toEqual([])
      })

      it("typechecks, generated code and hand-written converters together", async () => {
        const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
        const outcome = await run(process.execPath, [
          tsc,
          "-p",
          join(project(history).root, "packages", "protocol", "tsconfig.json"),
        ]).then(
          () => "",
          (error: { stdout?: string }) => String(error.stdout),
        )
        expect(outcome).toBe("")
      })
    })
  }
})

/** The history's generated `versioned.ts`, importing the built runtime. */
async function load<Root extends string>(history: string): Promise<Versioned<Root>> {
  const { genDir } = project(history).layout
  return import(pathToFileURL(join(genDir, "versioned.ts")).href)
}

describe("generated code from the fixtures", () => {
  it("presence: writes a one-member union's member in every version, and converts it", async () => {
    const versioned = await load<"Event">("presence")
    const userId = bytes(16, 0xab)
    const joined = { tag: "Joined", val: { userId, displayName: "ann" } }
    const v3 = versioned.encodeEvent(joined, { version: 3 })!
    expect(hex(v3)).toBe(`00${"ab".repeat(16)}03${Buffer.from("ann").toString("hex")}`)
    // v1 has no display name: refused by default, dropped on request.
    expect(() => versioned.encodeEvent(joined, { version: 1 })).toThrow(
      "cannot downgrade Joined.displayName to v1",
    )
    const v1 = versioned.encodeEvent(joined, { version: 1, lossy: "drop" })!
    expect(hex(v1)).toBe(`00${"ab".repeat(16)}`)
    expect(versioned.decodeEvent(v1, { version: 1 })).toEqual({
      tag: "Joined",
      val: { userId, displayName: "" },
    })
    // Left has no counterpart before v3.
    const left = { tag: "Left", val: { userId } }
    expect(versioned.encodeEvent(left, { version: 2, lossy: "drop" })).toBeNull()
  })

  it("sensor-feed: snake_case fields are camelCase properties, data[8] in a struct is checked", async () => {
    const versioned = await load<"Upload">("sensor-feed")
    const reading = {
      sensorId: bytes(8, 0x11),
      takenAtMs: 1_700_000_000_000n,
      kind: "Hygrometer",
      valueMilli: -1250,
      batteryPct: 87,
    }
    const upload = {
      tag: "Batch",
      val: {
        deviceSerial: bytes(4, 0x22),
        readings: [reading],
        labels: new Map([["site", "roof"]]),
      },
    }
    const v2 = versioned.encodeUpload(upload, { version: 2 })!
    expect(versioned.decodeUpload(v2, { version: 2 })).toEqual(upload)
    const v1 = versioned.encodeUpload(upload, { version: 1, lossy: "drop" })!
    expect(v1.length).toBe(v2.length - 2) // the battery level and its presence byte
    expect(versioned.decodeUpload(v1, { version: 1 })).toEqual({
      tag: "Batch",
      val: { ...upload.val, readings: [{ ...reading, batteryPct: null }] },
    })
    const short = {
      ...upload,
      val: { ...upload.val, readings: [{ ...reading, sensorId: bytes(7, 1) }] },
    }
    expect(() => versioned.encodeUpload(short, { version: 2 })).toThrow(
      /at Upload\.val\.readings\[0\]\.sensorId: expected data\[8\], got an ArrayBuffer of 7 bytes/,
    )
  })

  it("kv-store: maps of structs with nested optionals convert field by field", async () => {
    const versioned = await load<"Request">("kv-store")
    const entry = {
      key: bytes(2, 0x01),
      value: null,
      tags: ["hot", null],
      meta: { owner: "actor-1", ttlMs: null, revision: 0 },
    }
    const put = { tag: "Put", val: { entries: new Map([["a", entry]]), scope: "Actor" } }
    const v1 = versioned.encodeRequest(put, { version: 1 })!
    expect(versioned.decodeRequest(v1, { version: 1 })).toEqual(put)
    const revised = {
      ...put,
      val: {
        ...put.val,
        entries: new Map([["a", { ...entry, meta: { ...entry.meta, revision: 3 } }]]),
      },
    }
    expect(() => versioned.encodeRequest(revised, { version: 1 })).toThrow(
      "cannot downgrade Meta.revision to v1",
    )
    const namespaced = { tag: "Get", val: { keys: [], scope: "Namespace" } }
    expect(versioned.encodeRequest(namespaced, { version: 1, lossy: "drop" })).toBeNull()
    expect(versioned.encodeRequest(namespaced, { version: 2 })).not.toBeNull()
  })
})
