// The package as a consumer gets it: `npm pack`, installed into a project outside the workspace,
// then run with node, typechecked with tsc, bundled for a browser, and linted by publint and attw.
// It uses the built `dist/`: `npm test` at the repo root builds before testing.
import { spawn } from "node:child_process"
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { createContext, runInContext } from "node:vm"
import { build } from "esbuild"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url))
const REPO_ROOT = join(PACKAGE_DIR, "..", "..")
/** @tunnelwire/runtime, which the package depends on: packed and installed beside it. */
const RUNTIME_DIR = join(REPO_ROOT, "packages", "runtime")
const FIXTURES = join(PACKAGE_DIR, "test", "fixtures", "consumer")
const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc")
const BIN = join(REPO_ROOT, "node_modules", ".bin")
const COMMAND_TIMEOUT_MS = 120_000

/** A real v3 `ToClient` frame: WebSocket message #7, "ping", on request 00…0f, message f0…ff. */
const FRAME_HEX =
  "05000102030405060708090a0b0c0d0e0ff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff0507000470696e670000"
const FRAME_TEXT =
  'ToClientTunnelMessage{requestId: 00010203…(16), messageId: f0f1f2f3…(16), messageKind: ToClientWebSocketMessage{index: 7, data: 4B "ping", binary: false}, gatewayReplyTo: null}'
const FRAME_JSON = {
  tag: "ToClientTunnelMessage",
  val: {
    requestId: "000102030405060708090a0b0c0d0e0f",
    messageId: "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
    messageKind: {
      tag: "ToClientWebSocketMessage",
      val: { index: 7, data: "cGluZw==", binary: false },
    },
    gatewayReplyTo: null,
  },
}

interface Outcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function run(command: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, timeout: COMMAND_TIMEOUT_MS })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })
}

async function succeed(command: string, args: readonly string[], cwd: string): Promise<string> {
  const outcome = await run(command, args, cwd)
  if (outcome.code !== 0) {
    const shown = [command, ...args].join(" ")
    throw new Error(
      `\`${shown}\` exited with ${outcome.code} in ${cwd}\n${outcome.stdout}${outcome.stderr}`,
    )
  }
  return outcome.stdout
}

/** Every module of `src/` must have its `dist/` counterpart, or the tarball would be stale. */
function requireBuild(): void {
  const howToBuild =
    "run `npm run build -w @tunnelwire/protocol` (`npm test` at the repo root builds first)"
  if (!existsSync(join(PACKAGE_DIR, "dist", "index.js"))) {
    throw new Error(`packages/protocol/dist/ is missing: ${howToBuild}`)
  }
  if (!existsSync(join(RUNTIME_DIR, "dist", "codegen.js"))) {
    throw new Error(`packages/runtime/dist/ is missing: ${howToBuild}`)
  }
  const unbuilt = readdirSync(join(PACKAGE_DIR, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .filter((file) => !existsSync(join(PACKAGE_DIR, "dist", file.replace(/\.ts$/, ".js"))))
  if (unbuilt.length > 0) {
    throw new Error(`dist/ lacks src/${unbuilt.join(", src/")}: ${howToBuild}`)
  }
}

interface ConsumerProject {
  /** The temporary directory holding the tarball and the project. */
  readonly root: string
  readonly tarball: string
  /** A project outside the workspace with the tarball installed and the fixtures copied in. */
  readonly dir: string
}

/** `npm pack` of the package in `dir` into `destination`; the tarball's path. */
async function pack(dir: string, destination: string): Promise<string> {
  const stdout = await succeed("npm", ["pack", "--pack-destination", destination], dir)
  const tarballName = stdout.trim().split("\n").at(-1) ?? ""
  if (!existsSync(join(destination, tarballName))) {
    throw new Error(`npm pack left no tarball ${tarballName} in ${destination}`)
  }
  return join(destination, tarballName)
}

async function packAndInstall(): Promise<ConsumerProject> {
  const root = mkdtempSync(join(tmpdir(), "tunnelwire-packaging-"))
  const tarball = await pack(PACKAGE_DIR, root)
  // Not published yet: the dependency comes from its own tarball, as a registry would serve it.
  const runtimeTarball = await pack(RUNTIME_DIR, root)
  const dir = join(root, "consumer")
  cpSync(FIXTURES, dir, { recursive: true })
  const manifest = { name: "tunnelwire-consumer", private: true, type: "module" }
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest))
  await succeed(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", runtimeTarball, tarball],
    dir,
  )
  return { root, tarball, dir }
}

/** The workspace's TypeScript on one of the consumer's tsconfigs, with plain output. */
function tsc(tsconfig: string, cwd: string): Promise<Outcome> {
  return run("node", [TSC, "-p", tsconfig, "--pretty", "false"], cwd)
}

/** `file(line,col): error TSnnnn` lines of tsc's plain output, as `line TSnnnn`. */
function reportedErrors(tscOutput: string, file: string): string[] {
  const pattern = new RegExp(`^${file.replace(".", "\\.")}\\((\\d+),\\d+\\): error (TS\\d+)`, "gm")
  return [...tscOutput.matchAll(pattern)].map(([, line, code]) => `${line} ${code}`)
}

/** Lines of a fixture marked `// tsc error TSnnnn`, as `line TSnnnn`. */
function markedErrors(source: string): string[] {
  return source.split("\n").flatMap((text, i) => {
    const code = /\/\/ tsc error (TS\d+)/.exec(text)?.[1]
    return code === undefined ? [] : [`${i + 1} ${code}`]
  })
}

/** The README's first `ts` block and the `text` block that follows it: what it prints. */
function readmeExample(markdown: string): { code: string; output: string } {
  const match = /```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/.exec(markdown)
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new Error("README.md needs a ```ts example followed by a ```text block of its output")
  }
  return { code: match[1], output: match[2] }
}

describe("the packed @tunnelwire/protocol, installed in a project outside the workspace", () => {
  let project: ConsumerProject | undefined

  function consumer(): ConsumerProject {
    if (project === undefined) throw new Error("the consumer project was not set up")
    return project
  }

  beforeAll(async () => {
    requireBuild()
    project = await packAndInstall()
  }, 180_000)

  afterAll(() => {
    if (project !== undefined) rmSync(project.root, { recursive: true, force: true })
  })

  it("passes publint --strict", async () => {
    const output = await succeed(
      join(BIN, "publint"),
      ["run", "--strict", consumer().tarball],
      REPO_ROOT,
    )
    expect(output).toContain("All good!")
  })

  it("has types that resolve for ESM consumers under node16 and bundler resolution (attw)", async () => {
    const args = [consumer().tarball, "--profile", "esm-only", "--no-color", "--no-emoji"]
    const output = await succeed(join(BIN, "attw"), args, REPO_ROOT)
    expect(output).toContain('"@tunnelwire/protocol/v3"')
  })

  it("decodes a real v3 frame under node through the root entry and ./v3", async () => {
    const stdout = await succeed("node", ["decode-frame.mjs", FRAME_HEX], consumer().dir)
    const [text, json, roundTripped, ...rest] = stdout.trimEnd().split("\n")
    expect(text).toBe(FRAME_TEXT)
    expect(JSON.parse(json ?? "")).toEqual(FRAME_JSON)
    expect(roundTripped).toBe(FRAME_TEXT)
    expect(rest).toEqual([])
  })

  it("exposes exactly its public subpaths, with ./latest the newest version", async () => {
    const stdout = await succeed("node", ["subpaths.mjs"], consumer().dir)
    expect(JSON.parse(stdout)).toEqual({
      name: "@tunnelwire/protocol",
      versions: [1, 2, 3, 4, 5, 6, 7],
      latestVersion: 7,
      rootLatestVersion: 7,
      latestSharesModuleWithRoot: true,
      v3SharesModuleWithRoot: true,
      pinnedV3LatestVersion: 3,
      pinnedV3LatestIsV3: true,
      deepImport: "ERR_PACKAGE_PATH_NOT_EXPORTED",
    })
  })

  it("typechecks a strict NodeNext consumer that switches exhaustively on tags", async () => {
    const outcome = await tsc("tsconfig.json", consumer().dir)
    expect(outcome.stdout).toBe("")
    expect(outcome.code).toBe(0)
  })

  it("fails a consumer's typecheck exactly where its types are wrong", async () => {
    const { dir } = consumer()
    const outcome = await tsc("tsconfig.wrong.json", dir)
    const marked = markedErrors(readFileSync(join(dir, "wrong-consumer.ts"), "utf8"))
    expect(marked.length).toBeGreaterThan(0)
    expect(reportedErrors(outcome.stdout, "wrong-consumer.ts")).toEqual(marked)
    expect(outcome.code).not.toBe(0)
  })

  it("bundles for a browser without Node built-ins and runs with no Node globals", async () => {
    const bundle = await build({
      absWorkingDir: consumer().dir,
      entryPoints: ["browser-entry.mjs"],
      bundle: true,
      platform: "browser",
      format: "iife",
      write: false,
      metafile: true,
      minify: true,
      logLevel: "silent",
    })
    const inputs = Object.keys(bundle.metafile.inputs)
    // @bare-ts/lib picks its debug flag through the `#dev` import condition: only under `node`
    // does it read `process.env`; a browser build must get the plain module.
    expect(inputs).toContain("node_modules/@bare-ts/lib/dist/env/dev.js")
    expect(inputs.filter((input) => input.includes("dev.node"))).toEqual([])
    const code = bundle.outputFiles[0]?.text ?? ""
    // Any use at all, guarded or not, is flagged: none is needed, and the bundle is minified so
    // that comments cannot match.
    const nodeOnly =
      /\b(process|Buffer|global)\s*[.[(]|\brequire\s*\(|typeof\s+(process|Buffer)|"node:/g
    expect(code.match(nodeOnly)).toBeNull()

    // What a browser offers beyond the language itself, as far as this package could need it.
    const sandbox: Record<string, unknown> = {
      frameHex: FRAME_HEX,
      TextEncoder,
      TextDecoder,
      URL,
      crypto,
    }
    const context = createContext(sandbox)
    expect(runInContext("typeof process + typeof Buffer + typeof require", context)).toBe(
      "undefinedundefinedundefined",
    )
    runInContext(code, context)
    expect(sandbox.output).toBe(FRAME_TEXT)
  })

  it("runs the README's first example, which prints what the README shows", async () => {
    const { dir } = consumer()
    const example = readmeExample(readFileSync(join(PACKAGE_DIR, "README.md"), "utf8"))
    writeFileSync(join(dir, "readme-example.ts"), example.code)
    const compiled = await tsc("tsconfig.readme.json", dir)
    expect(compiled.stdout).toBe("")
    expect(compiled.code).toBe(0)
    const stdout = await succeed("node", [join("out", "readme-example.js")], dir)
    expect(stdout).toBe(example.output)
  })
})
