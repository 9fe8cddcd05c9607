#!/usr/bin/env node
// Runs the built gateway, dist/bin.js. A published package always has it; in a fresh clone npm
// links this bin before anything is built, so the first run there builds the gateway and the
// packages it imports through the repository's turbo, saying so on stderr.
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

const built = new URL("../dist/bin.js", import.meta.url)
if (!existsSync(built)) {
  const repository = new URL("../../../", import.meta.url)
  const turbo = new URL("node_modules/turbo/bin/turbo", repository)
  if (!existsSync(new URL("../src/bin.ts", import.meta.url)) || !existsSync(turbo)) {
    process.stderr.write("tunnelwire-gateway: dist/bin.js is missing; reinstall the package\n")
    process.exit(1)
  }
  process.stderr.write(
    "tunnelwire-gateway: building the gateway and the packages it imports (first run in this clone)…\n",
  )
  const build = spawnSync(
    process.execPath,
    [
      fileURLToPath(turbo),
      "run",
      "build",
      "--filter=@tunnelwire/gateway-mock",
      "--output-logs=errors-only",
    ],
    {
      cwd: fileURLToPath(repository),
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    },
  )
  if (build.status !== 0) {
    process.stderr.write("tunnelwire-gateway: the build failed\n")
    process.exit(1)
  }
}
await import(built.href)
