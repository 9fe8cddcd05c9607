import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import {
  GatewayClose,
  RUNNER_SHUTDOWN_REASON,
  RunnerClose,
  RunnerConnectionClose,
} from "../src/index.js"

const repo = fileURLToPath(new URL("../../../", import.meta.url))
// .stryker-tmp holds the mutation run's copies of the repository (npm run mutate).
const SKIPPED_DIRS = new Set([
  "node_modules",
  "dist",
  ".git",
  ".turbo",
  "test-results",
  "gen",
  ".stryker-tmp",
])
const SOURCE_FILE = /\.(ts|mts|js|mjs|cjs|html)$/

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory())
      return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(join(dir, entry.name))
    return SOURCE_FILE.test(entry.name) ? [join(dir, entry.name)] : []
  })
}

const reasons = [
  ...Object.values(RunnerClose).map((rule) => rule.reason),
  ...Object.values(GatewayClose).map((rule) => rule.reason),
  ...Object.values(RunnerConnectionClose).map((rule) => rule.reason),
  RUNNER_SHUTDOWN_REASON,
]

describe("close reasons are defined once", () => {
  const files = sourceFiles(repo).map((path) => ({
    path: relative(repo, path),
    text: readFileSync(path, "utf8"),
  }))

  it("scans the whole repository", () => {
    expect(files.some((file) => file.path.startsWith("packages/runner/src/"))).toBe(true)
    expect(files.some((file) => file.path.startsWith("packages/gateway-mock/src/"))).toBe(true)
  })

  it.each(reasons)("%s appears in exactly one source file: the semantics module", (reason) => {
    const holders = files.filter(
      (file) =>
        file.text.includes(`"${reason}"`) ||
        file.text.includes(`'${reason}'`) ||
        file.text.includes(`\`${reason}`) ||
        file.text.includes(` ${reason}`),
    )
    expect(holders.map((file) => file.path)).toEqual(["packages/protocol/src/semantics/close.ts"])
  })
})
