// One runner process for crash tests: `node --import tsx crash-runner-process.ts URL VERSION KEY DIR`.
// Its actors append each WebSocket message they are handed to DIR/delivered.log (and send
// nothing back); hibernation metadata lives in DIR (see file-hibernation.ts). Both are on disk
// when the process is SIGKILLed. Prints "ready" once connected.
import { openSync, writeSync } from "node:fs"
import { join } from "node:path"
import { echoRunner } from "./echo-runner.js"
import { fileHibernation } from "./file-hibernation.js"

const [endpoint, version, runnerKey, dir] = process.argv.slice(2)
const deliveries = openSync(join(dir!, "delivered.log"), "a")
const runner = echoRunner({
  endpoint: endpoint!,
  version: Number(version),
  runnerKey: runnerKey!,
  persist: fileHibernation(dir!),
  handlers: {
    websocket: (_actorId, ws) => {
      ws.addEventListener("message", (event) => {
        const data = event.data
        const text = typeof data === "string" ? data : new TextDecoder().decode(data)
        writeSync(deliveries, `${text}\n`)
      })
    },
  },
})
await runner.start()
console.log("ready")
