// `npm start`: the tunnelwire demo. Builds what the demo imports (turbo caches it, so later runs
// skip this), then runs examples/demo.ts: a gateway mock, the example chat runner and a scripted
// client showing a WebSocket that survives its actor's sleep without losing a message.
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const bin = (path) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url))

const build = spawnSync(
  process.execPath,
  [
    bin("turbo/bin/turbo"),
    "run",
    "build",
    "--filter=@tunnelwire/gateway-mock",
    "--filter=@tunnelwire/runner",
    "--filter=@tunnelwire/inspector",
    "--output-logs=errors-only",
  ],
  { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
)
if (build.status !== 0) {
  console.error("npm start: building the packages failed")
  process.exit(build.status ?? 1)
}
const demo = spawnSync(
  process.execPath,
  [bin("tsx/dist/cli.mjs"), "examples/demo.ts", ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
  },
)
process.exitCode = demo.status ?? 1
