import {
  capabilities,
  GatewayClose,
  PROTOCOL_VERSIONS,
  RunnerClose,
  withoutRayId,
} from "@tunnelwire/protocol/pinned/v3"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { type Gateway, startGateway, type TapEvent } from "../src/index.js"
import { gatewaySocketUrl, TestClient } from "./support/client.js"
import { RawRunner } from "./support/raw-runner.js"

let gateway: Gateway
const runners: RawRunner[] = []
const events: TapEvent[] = []

beforeEach(async () => {
  gateway = await startGateway({ port: 0 })
  gateway.tap.subscribe((event) => events.push(event))
})

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.stop()
  await gateway.stop()
  events.length = 0
})

async function runner(version: number): Promise<RawRunner> {
  const started = await new RawRunner({ url: gateway.url, version }).start()
  runners.push(started)
  return started
}

describe.each(PROTOCOL_VERSIONS)("with a raw v%i runner", (version) => {
  it("answers a buffered HTTP request through the actor, starting it on demand", async () => {
    await runner(version)
    const actor = gateway.createActor({ name: "echo", key: "a" })
    const response = await fetch(`${gateway.url}/gateway/${actor.actorId}/hello?x=1`, {
      method: "POST",
      body: "ping",
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe("POST /hello?x=1 whole ping")
    expect(gateway.getActor(actor.actorId)?.state).toBe("running")
  })

  it("echoes WebSocket messages in order", async () => {
    await runner(version)
    const actor = gateway.createActor({ name: "echo" })
    const client = new TestClient(gatewaySocketUrl(gateway.url, actor.actorId, "/ws"))
    await client.opened
    for (let i = 0; i < 50; i++) client.send(`m${i}`)
    await client.until(() => client.messages.length === 50)
    expect(client.messages).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`))
    client.ws.close()
    await client.closedPromise
  })

  it(`${capabilities(version).canHibernate ? "keeps" : "closes"} the socket across an actor sleep`, async () => {
    const raw = await runner(version)
    const actor = gateway.createActor({ name: "echo" })
    const client = new TestClient(gatewaySocketUrl(gateway.url, actor.actorId))
    await client.opened
    client.send("before")
    await client.until(() => client.messages.length === 1)
    raw.sleep(actor.actorId)
    if (!capabilities(version).canHibernate) {
      expect(await client.closedPromise).toEqual({
        code: RunnerClose.actorStopped.code,
        reason: RunnerClose.actorStopped.reason,
      })
      return
    }
    await raw.until(() => !raw.running.has(actor.actorId))
    client.send("after")
    await client.until(() => client.messages.length === 2)
    expect(client.messages).toEqual(["before", "after"])
    expect(
      events.filter((e) => e.type === "socket").map((e) => e.type === "socket" && e.event),
    ).toEqual(["open", "hibernate", "wake"])
    client.ws.close()
  })
})

describe("unavailable actors", () => {
  it("closes a client socket with service unavailable when no runner can host the actor", async () => {
    await gateway.stop()
    gateway = await startGateway({ port: 0, actorStartTimeoutMs: 200 })
    const actor = gateway.createActor({ name: "nobody" })
    const client = new TestClient(gatewaySocketUrl(gateway.url, actor.actorId))
    const closed = await client.closedPromise
    expect(closed.code).toBe(GatewayClose.serviceUnavailable.code)
    expect(withoutRayId(closed.reason)).toBe(GatewayClose.serviceUnavailable.reason)
    expect(closed.reason).toMatch(/#[0-9a-f]{12}$/)
  })
})
