// One runner process for the restart test: `node --import tsx echo-runner-process.ts URL VERSION KEY`.
// Prints "ready" once connected; shuts down gracefully on SIGTERM and exits by itself.
import { echoRunner } from "./echo-runner.js"

const [endpoint, version, runnerKey] = process.argv.slice(2)
const runner = echoRunner({
  endpoint: endpoint!,
  version: Number(version),
  runnerKey: runnerKey!,
  persist: "kv",
})
await runner.start()
console.log("ready")
process.once("SIGTERM", () => {
  void runner.shutdown().then(() => console.log("stopped"))
})
