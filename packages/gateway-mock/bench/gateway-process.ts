// The gateway under benchmark, in its own process. Sends its URL over IPC, then answers the
// bench's probes. With BENCH_LOG=1 it prints every tap event to stderr (slow: for finding out
// why a run stalls).
import { answerProbes } from "./probe.js"

// The gateway as it ships: tsc's output in dist/ (`npm run bench` builds it first). Run from src/
// under tsx, esbuild keeps function names by defining a `name` property on every named closure,
// which gives each one a property array: about 1 KiB per socket that no user of the package pays.
const BUILT = "../dist/index.js"
const { formatTapEvent, startGateway } = (await import(BUILT)) as typeof import("../src/index.js")

const gateway = await startGateway({ port: 0, maxPendingMessages: 100_000 })
if (process.env.BENCH_LOG === "1") {
  gateway.tap.subscribe((event) => process.stderr.write(`${formatTapEvent(event)}\n`))
}
process.send?.({ url: gateway.url })
answerProbes(() => gateway.stop())
