// The gateway under attack, in its own process so that a crash is observable from the test:
// `node --import tsx gateway-process.ts '<GatewayOptions as JSON>'`. Prints its URL as one JSON
// line once it listens; stops on SIGTERM.
import { type GatewayOptions, startGateway } from "../../../src/index.js"

const options = JSON.parse(process.argv[2] ?? "{}") as GatewayOptions
const gateway = await startGateway({ ...options, port: 0 })
console.log(JSON.stringify({ url: gateway.url }))
process.once("SIGTERM", () => {
  void gateway.stop()
})
