// The gateway under benchmark, in its own process. Sends its URL over IPC, then answers the
// bench's probes. With BENCH_LOG=1 it prints every tap event to stderr (slow: for finding out
// why a run stalls).
import { formatTapEvent, startGateway } from "../src/index.js"
import { answerProbes } from "./probe.js"

const gateway = await startGateway({ port: 0, maxPendingMessages: 100_000 })
if (process.env.BENCH_LOG === "1") {
  gateway.tap.subscribe((event) => process.stderr.write(`${formatTapEvent(event)}\n`))
}
process.send?.({ url: gateway.url })
answerProbes(() => gateway.stop())
