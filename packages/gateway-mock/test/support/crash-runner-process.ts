// One runner process for crash tests: `node --import tsx crash-runner-process.ts URL VERSION KEY DIR`.
// Its actors echo WebSocket messages and append each delivered one to DIR/delivered.log before
// echoing it; hibernation metadata lives in DIR (see file-hibernation.ts). Both are on disk when
// the process is SIGKILLed. Prints "ready" once connected.
import { appendFileSync } from "node:fs"
import { join } from "node:path"
import { echoRunner } from "./echo-runner.js"
import { fileHibernation } from "./file-hibernation.js"

const [endpoint, version, runnerKey, dir] = process.argv.slice(2)
const deliveries = join(dir!, "delivered.log")
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
        appendFileSync(deliveries, `${text}\n`)
        ws.send(data)
      })
    },
  },
})
await runner.start()
console.log("ready")
