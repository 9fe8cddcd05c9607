// Run as a child process by the faults test: exercises a gateway, stops it, and must then exit
// by itself (no process.exit), proving no socket, timer or server was left behind.
import { startGateway } from "../../src/index.js"
import { gatewaySocketUrl, TestClient } from "./client.js"
import { RawRunner } from "./raw-runner.js"

const gateway = await startGateway({ port: 0, tapHistory: 100 })
const runner = await new RawRunner({ url: gateway.url, version: 3 }).start()
const actor = gateway.createActor({ name: "chat" })
await (await fetch(`${gateway.url}/gateway/${actor.actorId}/x`)).text()
const client = new TestClient(gatewaySocketUrl(gateway.url, actor.actorId))
await client.opened
client.send("one")
await client.until(() => client.messages.length === 1)
gateway.sleepActor(actor.actorId)
await runner.until(() => !runner.running.has(actor.actorId))
const other = new TestClient(gatewaySocketUrl(gateway.url, actor.actorId))
await other.opened
await gateway.stop()
await Promise.all([client.closedPromise, other.closedPromise])
console.log("stopped")
