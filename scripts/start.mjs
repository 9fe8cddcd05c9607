// `npm start`: the tunnelwire demo. Builds what the demo imports (turbo caches it, so later runs
// skip this), then runs examples/demo.ts: a gateway mock, the example chat runner and a scripted
// client showing a WebSocket that survives its actor's sleep without losing a message. A cold
// build takes a while, so every step is announced before it starts.
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const bin = (path) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url))
const args = process.argv.slice(2)
const say = (line) => console.log(`npm start: ${line}`)

say("building the gateway, runner and inspector the demo imports (cached after the first run)…")
const started = Date.now()
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
  {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  },
)
if (build.status !== 0) {
  console.error("npm start: building the packages failed")
  process.exit(build.status ?? 1)
}
say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s; running examples/demo.ts`)
console.log()
// Ctrl-C (which --keep-open waits for) reaches the demo too, which closes down by itself; this
// process outlives it to say so.
process.on("SIGINT", () => {})
const demo = spawnSync(process.execPath, [bin("tsx/dist/cli.mjs"), "examples/demo.ts", ...args], {
  cwd: root,
  stdio: "inherit",
})
console.log()
if (args.includes("--keep-open")) {
  say("the demo stopped; its gateway and inspector page are closed")
} else {
  say(
    "the demo ended, and with it the gateway and the inspector page (its URL no longer answers); `npm start -- --keep-open` keeps them up until Ctrl-C",
  )
}
process.exitCode = demo.status ?? 1
