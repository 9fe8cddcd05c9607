// What a client socket keeps alive in the gateway: not the upgrade request it came with, and
// while it hibernates, not what it needs only while its actor is awake. At 10,000 hibernating
// sockets every retained object is paid 10,000 times (issue #13).
import type { IncomingMessage } from "node:http"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { afterEach, expect, it } from "vitest"
import { WebSocketServer } from "ws"
import { type Gateway, startGateway } from "../src/index.js"
import { ClientDrain } from "../src/tunnel/client-drain.js"
import { eventually, gatewaySocketUrl, TestClient } from "./support/client.js"
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

/** Collects until `ref` is gone, a few times at most (a collection may leave it for the next). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 5 && ref.deref() !== undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    gc()
  }
  return ref.deref() === undefined
}

it("a hibernating socket lets go of the drain it used for the actor's messages while awake", async () => {
  gateway = await startGateway({ port: 0 })
  const runner = echoRunner({ endpoint: gateway.url, version: 7 })
  await runner.start()
  stops.push(() => runner.shutdown())
  const actor = gateway.createActor({ name: "echo", key: "sleeper" })
  const drains: Array<WeakRef<ClientDrain>> = []
  // Patched by hand: a spy would keep every call's `this`, the drain among them.
  const wrote = ClientDrain.prototype.wrote
  ClientDrain.prototype.wrote = function (this: ClientDrain, ...args) {
    drains.push(new WeakRef(this))
    return wrote.apply(this, args)
  }
  stops.push(async () => {
    ClientDrain.prototype.wrote = wrote
  })
  const client = new TestClient(gatewaySocketUrl(gateway.url, actor.actorId, "/sleeps"))
  stops.push(async () => client.ws.terminate())
  await client.opened
  client.send("hello")
  await client.until(() => client.messages.length === 1, 5_000)
  ClientDrain.prototype.wrote = wrote
  expect(drains).toHaveLength(1)
  const drain = drains.splice(0)[0]!
  expect(await collected(drain)).toBe(false)

  gateway.sleepActor(actor.actorId)
  await eventually(() => gateway!.getActor(actor.actorId)?.state === "stopped", 5_000)
  expect(gateway.getActor(actor.actorId)?.hibernatingSockets).toBe(1)
  expect(await collected(drain)).toBe(true)
  // Woken, it echoes as before: a new drain takes the actor's messages.
  client.send("again")
  await client.until(() => client.messages.length === 2, 5_000)
  expect(client.messages).toEqual(["hello", "again"])
  expect(client.closed).toBeNull()
})
