import {
  GatewayClose,
  idKey,
  PROTOCOL_VERSIONS,
  RunnerClose,
  withoutRayId,
} from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { eventually } from "./support/client.js"
import { useGateway } from "./support/fixture.js"

const fixture = useGateway({ maxPendingMessages: 8, ackTimeoutMs: 300, gcIntervalMs: 50 })

/** An open socket on a fresh actor, and the runner's key for it. */
async function openSocket(version: number, options: { ackTunnel?: boolean } = {}) {
  const f = fixture()
  const runner = await f.runner({ version, ...options })
  const actor = f.gateway.createActor({ name: "chat" })
  const client = f.client(actor.actorId, "/chat")
  await client.opened
  await runner.until(() => runner.sockets.size === 1)
  const [key] = [...runner.sockets.keys()]
  return { f, runner, actor, client, key: key! }
}

describe.each(PROTOCOL_VERSIONS)("close paths seen from the client, v%i runner", (version) => {
  it("the actor's close reaches the client with its code and reason, and nothing goes back", async () => {
    const { runner, client, key } = await openSocket(version)
    runner.closeSocket(key, 4001, "bye")
    expect(await client.closedPromise).toEqual({ code: 4001, reason: "bye" })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(runner.tunnelKinds("ToClientWebSocketClose")).toEqual([])
  })

  it("an actor's close without code or reason reaches the client as GatewayClose.closed", async () => {
    const { runner, client, key } = await openSocket(version)
    runner.closeSocket(key, null, null)
    expect(await client.closedPromise).toEqual({
      code: GatewayClose.closed.code,
      reason: GatewayClose.closed.reason,
    })
  })

  it("the client's close reaches the runner once, with the client's code and reason", async () => {
    const { runner, client } = await openSocket(version)
    client.ws.close(4002, "leaving")
    await runner.until(() => runner.tunnelKinds("ToClientWebSocketClose").length === 1)
    const [close] = runner.tunnelKinds("ToClientWebSocketClose")
    expect(close?.messageKind.val).toEqual({ code: 4002, reason: "leaving" })
  })

  it("a runner's index-skip close reaches the client as RunnerClose.messageIndexSkip", async () => {
    const { runner, client, key } = await openSocket(version)
    const { code, reason } = RunnerClose.messageIndexSkip
    runner.closeSocket(key, code, reason)
    expect(await client.closedPromise).toEqual({ code, reason })
  })

  it("an actor stop closes a socket that cannot hibernate with RunnerClose.actorStopped", async () => {
    const f = fixture()
    const runner = await f.runner({ version, canHibernate: false })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    await runner.until(() => runner.sockets.size === 1)
    f.gateway.sleepActor(actor.actorId)
    expect(await client.closedPromise).toEqual({
      code: RunnerClose.actorStopped.code,
      reason: RunnerClose.actorStopped.reason,
    })
  })

  it("a runner that goes away closes a socket that cannot hibernate with GatewayClose.downstreamClosed", async () => {
    const f = fixture()
    const runner = await f.runner({ version, canHibernate: false })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    await runner.until(() => runner.sockets.size === 1)
    runner.kill()
    expect(await client.closedPromise).toEqual({
      code: GatewayClose.downstreamClosed.code,
      reason: GatewayClose.downstreamClosed.reason,
    })
  })

  it("a runner that never acknowledges gets the socket closed with a service timeout", async () => {
    const { runner, client } = await openSocket(version, { ackTunnel: false })
    const closed = await client.closedPromise
    expect(closed.code).toBe(GatewayClose.serviceTimeout.code)
    expect(withoutRayId(closed.reason)).toBe(GatewayClose.serviceTimeout.reason)
    await runner.until(() => runner.tunnelKinds("ToClientWebSocketClose").length === 1)
  })
})

describe("acknowledgement ages", () => {
  it("keep a socket whose runner acknowledges, however long it lives", async () => {
    const { client } = await openSocket(3)
    // Three ack timeouts (300 ms) pass with traffic flowing and acknowledged.
    for (let i = 0; i < 9; i++) {
      client.send(`tick ${i}`)
      await client.until(() => client.messages.length === i + 1)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(client.closed).toBeNull()
  })

  it("give an HTTP request up with 504 when the runner never acknowledges it", async () => {
    const f = fixture()
    await f.runner({ version: 3, ackTunnel: false, http: () => null })
    const actor = f.gateway.createActor({ name: "silent" })
    const response = await fetch(`${f.gateway.url}/gateway/${actor.actorId}/x`)
    expect(response.status).toBe(504)
    expect(await response.json()).toMatchObject({
      error: "the runner did not acknowledge the request in time",
    })
  })
})

describe("hibernation bounds", () => {
  it("closes the client with 1011 and a pending-limit reason when a sleeping actor's buffer overflows", async () => {
    const { f, runner, actor, client, key } = await openSocket(3)
    runner.sleep(actor.actorId)
    await runner.until(() => !runner.running.has(actor.actorId))
    // Keep the actor from waking, so messages pile up at the gateway.
    runner.kill()
    await eventually(() => f.gateway.runners().length === 0)
    for (let i = 0; i < 9; i++) client.send(`m${i}`)
    const closed = await client.closedPromise
    expect(closed.code).toBe(GatewayClose.pendingLimitReached.code)
    expect(withoutRayId(closed.reason)).toBe(GatewayClose.pendingLimitReached.reason)
    expect(f.tapped("socket").map((e) => e.event)).toEqual(["open", "hibernate", "close"])
    expect(key).toHaveLength(32)
  })

  it("restores with a close the client sees when the actor kept no metadata", async () => {
    const { f, runner, actor, client, key } = await openSocket(3)
    runner.sleep(actor.actorId)
    await runner.until(() => !runner.running.has(actor.actorId))
    runner.store.delete(key)
    client.send("wake up")
    expect(await client.closedPromise).toEqual({
      code: RunnerClose.metaNotFoundDuringRestore.code,
      reason: RunnerClose.metaNotFoundDuringRestore.reason,
    })
    const start = runner.received.filter((m) => m.tag === "ToClientCommands").at(-1)
    expect(
      start?.tag === "ToClientCommands" &&
        start.val[0]?.inner.tag === "CommandStartActor" &&
        start.val[0].inner.val.hibernatingRequestIds.map(idKey),
    ).toEqual([key])
    expect(f.gateway.getActor(actor.actorId)?.state).toBe("running")
  })

  it("never collects a hibernating socket, however long its actor is away", async () => {
    const { f, runner, actor, client } = await openSocket(3)
    runner.sleep(actor.actorId)
    await runner.until(() => !runner.running.has(actor.actorId))
    runner.kill()
    // Several ack timeouts and GC passes go by.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(client.closed).toBeNull()
    expect(f.gateway.getActor(actor.actorId)?.hibernatingSockets).toBe(1)
    const next = await f.runner({ version: 3, store: runner.store })
    client.send("still here")
    await client.until(() => client.messages.includes("still here"))
    expect(next.delivered.size).toBe(1)
  })
})
