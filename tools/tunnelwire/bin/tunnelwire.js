#!/usr/bin/env node
// Runs the compiled CLI in dist/. A published package always has it; a fresh clone does not
// until something builds it (npm links bins before anything is built), so the first run there
// compiles the sources once with the package's own TypeScript, saying so on stderr (`-b`: the
// runtime package it imports is built first).
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const cli = new URL("../dist/cli.js", import.meta.url)
if (!existsSync(cli) && existsSync(new URL("../src/cli.ts", import.meta.url))) {
  process.stderr.write("tunnelwire: compiling the CLI into dist/ (first run in this clone)\n")
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  const build = spawnSync(process.execPath, [tsc, "-b", "tsconfig.build.json"], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "inherit", "inherit"],
  })
  if (build.status !== 0) {
    process.stderr.write("tunnelwire: compiling the CLI failed\n")
    process.exit(1)
  }
}
const { main } = await import(cli.href)
process.exitCode = await main(process.argv.slice(2))
