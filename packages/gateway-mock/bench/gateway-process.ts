// The gateway under benchmark, in its own process (run with --expose-gc). Sends its URL over IPC;
// answers "heap" with the heap in use after a full collection; stops on "stop".
import { startGateway } from "../src/index.js"

const gateway = await startGateway({ port: 0, maxPendingMessages: 100_000 })
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
