// One runner process: `node --import tsx echo-runner-process.ts URL VERSION KEY [memory|kv|off]`.
// The runner is named after its key. The last argument says where hibernation metadata goes
// (default kv, which survives a restart; off: sockets do not hibernate). Prints "ready" once connected; on SIGTERM shuts down gracefully
// and exits by itself.
import { echoRunner } from "./echo-runner.js"

const [endpoint, version, runnerKey, persist = "kv"] = process.argv.slice(2)
const runner = echoRunner({
  endpoint: endpoint!,
  version: Number(version),
  runnerKey: runnerKey!,
  runnerName: runnerKey!,
  hibernate: persist !== "off",
  persist: persist === "memory" ? "memory" : "kv",
  // Graceful restarts are exactly once at any window; a wide one spares a KV round trip per
  // message in 10,000-message streams. The crash tests run the SDK's default.
  maxUnsavedMessages: 64,
})
await runner.start()
console.log("ready")
process.once("SIGTERM", () => {
  void runner.shutdown().then(() => console.log("stopped"))
})
