import { spawnSync } from "node:child_process"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { expect, it } from "vitest"

it("the README's example runs and prints where runners and clients connect", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(example).toBeDefined()
  // Beside the package, so `@tunnelwire/gateway-mock` resolves to this package's build.
  const file = fileURLToPath(new URL("../readme-example.tmp.ts", import.meta.url))
  writeFileSync(file, example!)
  try {
    const run = spawnSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8" })
    expect(run.stderr).toBe("")
    expect(run.stdout).toMatch(
      /^runners: http:\/\/127\.0\.0\.1:\d+\/runners\/connect \(token dev-token\)\nclients: ws:\/\/127\.0\.0\.1:\d+\/gateway\/[0-9a-f-]{36}\/chat\n$/,
    )
    expect(run.status).toBe(0)
  } finally {
    rmSync(file)
  }
})
