// The gateway under benchmark, in its own process (run with --expose-gc). Sends its URL over IPC;
// answers "heap" with the heap in use after a full collection; stops on "stop". With
// BENCH_LOG=1 it prints every tap event to stderr (slow: for finding out why a run stalls).
import { formatTapEvent, startGateway } from "../src/index.js"

const gateway = await startGateway({ port: 0, maxPendingMessages: 100_000 })
if (process.env.BENCH_LOG === "1") {
  gateway.tap.subscribe((event) => process.stderr.write(`${formatTapEvent(event)}\n`))
}
process.send?.({ url: gateway.url })
process.on("message", async (message) => {
  if (message === "heap") {
    for (let i = 0; i < 3; i++) globalThis.gc?.()
    process.send?.({ heap: process.memoryUsage().heapUsed })
  } else if (message === "stop") {
    await gateway.stop()
    process.disconnect()
  }
})
