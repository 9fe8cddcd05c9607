// What an open client socket keeps alive in the gateway: not the upgrade request it came with.
// At 10,000 hibernating sockets every retained object is paid 10,000 times (issue #13).
import type { IncomingMessage } from "node:http"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { afterEach, expect, it } from "vitest"
import { WebSocketServer } from "ws"
import { type Gateway, startGateway } from "../src/index.js"
import { gatewaySocketUrl, TestClient } from "./support/client.js"
import { echoRunner } from "./support/echo-runner.js"

setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

let gateway: Gateway | undefined
const stops: Array<() => Promise<void>> = []

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
  await gateway?.stop()
  gateway = undefined
})

it("an open client socket does not keep its upgrade request (headers, URL) alive", async () => {
  gateway = await startGateway({ port: 0 })
  const runner = echoRunner({ endpoint: gateway.url, version: 3 })
  await runner.start()
  stops.push(() => runner.shutdown())
  const actor = gateway.createActor({ name: "echo", key: "retention" })
  const upgrades: Array<WeakRef<IncomingMessage>> = []
  // Patched by hand: a spy would keep every call's arguments, the request among them.
  const handleUpgrade = WebSocketServer.prototype.handleUpgrade
  WebSocketServer.prototype.handleUpgrade = function (this: WebSocketServer, ...args) {
    upgrades.push(new WeakRef(args[0]))
    return handleUpgrade.apply(this, args)
  }
  stops.push(async () => {
    WebSocketServer.prototype.handleUpgrade = handleUpgrade
  })
  const client = new TestClient(gatewaySocketUrl(gateway.url, actor.actorId, "/kept"))
  stops.push(async () => client.ws.terminate())
  await client.opened
  client.send("hello")
  await client.until(() => client.messages.length === 1, 5_000)
  WebSocketServer.prototype.handleUpgrade = handleUpgrade

  expect(upgrades).toHaveLength(1)
  for (let i = 0; i < 5 && upgrades[0]!.deref() !== undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    gc()
  }
  expect(client.closed).toBeNull()
  expect(upgrades[0]!.deref()).toBeUndefined()
})
