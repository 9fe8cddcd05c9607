// `npm start`: the tunnelwire demo. Until the gateway mock and example runner land, it shows
// the protocol package at work: one message of each version encoded, decoded and printed.
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const demo = fileURLToPath(new URL("../examples/protocol-tour.ts", import.meta.url))
const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/cli.mjs", import.meta.url))
const result = spawnSync(process.execPath, [tsx, demo], { stdio: "inherit" })
process.exitCode = result.status ?? 1
