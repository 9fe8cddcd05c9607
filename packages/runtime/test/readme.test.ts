// The README's first example runs against the sources and prints what the README shows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { afterEach, expect, it, vi } from "vitest"

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url))
let scratch: string | undefined

afterEach(() => {
  vi.restoreAllMocks()
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true })
})

it("runs the README's first example, which prints what the README shows", async () => {
  const readme = readFileSync(join(PACKAGE_DIR, "README.md"), "utf8")
  const match = /```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)
  const [, code = "", output = ""] = match ?? []
  expect(code).toContain('from "@tunnelwire/runtime"')
  // Inside the package, so the example resolves the sources instead of a build.
  scratch = mkdtempSync(join(PACKAGE_DIR, "test", ".readme-"))
  const source = pathToFileURL(join(PACKAGE_DIR, "src", "index.ts")).href
  const example = join(scratch, "example.ts")
  writeFileSync(example, code.replace('"@tunnelwire/runtime"', JSON.stringify(source)))
  const printed: string[] = []
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    printed.push(args.join(" "))
  })
  await import(pathToFileURL(example).href)
  expect(`${printed.join("\n")}\n`).toBe(output)
})
