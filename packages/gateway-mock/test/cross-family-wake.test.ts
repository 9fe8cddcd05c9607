// Issue #12 point 1: a hibernating client WebSocket outlives its runner's protocol family. The
// actor sleeps on a runner of one family, that runner leaves, the client keeps sending, and the
// actor wakes on a runner of the other family: every message arrives once, in order, and the
// wake names the socket the way the new family does (a v3 request id, or a v7 id pair).
import { createMemoryHibernationStore, type Runner } from "@tunnelwire/runner"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { type Gateway, startGateway, type TapEvent } from "../src/index.js"
import { gatewaySocketUrl, TestClient } from "./support/client.js"
import { echoRunner } from "./support/echo-runner.js"
import { SecondFamilyRunner } from "./support/raw-second-family-runner.js"

const PATH = "/across"

describe("a hibernating socket wakes on a runner of the other family", () => {
  let gateway: Gateway
  let socketEvents: Extract<TapEvent, { type: "socket" }>[]
  const clients: TestClient[] = []
  const sdkRunners: Runner[] = []
  const rawRunners: SecondFamilyRunner[] = []

  beforeEach(async () => {
    gateway = await startGateway()
    socketEvents = []
    gateway.tap.subscribe((event) => {
      if (event.type === "socket") socketEvents.push(event)
    })
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate()
    for (const raw of rawRunners.splice(0)) raw.kill()
    await Promise.all(sdkRunners.splice(0).map((runner) => runner.shutdown()))
    await gateway.stop()
  })

  function connect(actorId: string): TestClient {
    const client = new TestClient(gatewaySocketUrl(gateway.url, actorId, PATH))
    clients.push(client)
    return client
  }

  async function v3Runner(hooks = createMemoryHibernationStore()): Promise<Runner> {
    const runner = echoRunner({
      endpoint: gateway.url,
      version: 3,
      runnerName: "pool",
      persist: hooks,
    })
    sdkRunners.push(runner)
    await runner.start()
    return runner
  }

  async function v7Runner(): Promise<SecondFamilyRunner> {
    const raw = new SecondFamilyRunner({
      url: gateway.url,
      version: 7,
      name: "pool",
      canHibernate: true,
    })
    rawRunners.push(raw)
    return raw.start()
  }

  /** Sends `messages` and waits for their echoes. */
  async function exchange(client: TestClient, messages: string[]): Promise<void> {
    const expected = client.messages.length + messages.length
    for (const message of messages) client.send(message)
    await client.until(() => client.messages.length === expected)
  }

  async function asleep(actorId: string): Promise<void> {
    gateway.sleepActor(actorId)
    await eventually(() => {
      const actor = gateway.getActor(actorId)
      return actor?.state === "stopped" && actor.hibernatingSockets === 1
    })
  }

  it("sleeps on a v3 runner and wakes on a v7 runner", async () => {
    const first = await v3Runner()
    const actor = gateway.createActor({ name: "chat", runnerName: "pool" })
    const client = connect(actor.actorId)
    await client.opened
    await exchange(client, ["a", "b"])
    await asleep(actor.actorId)
    await first.shutdown()
    // Asleep with no runner at all: the gateway holds these.
    client.send("c")
    client.send("d")
    const second = await v7Runner()
    await client.until(() => client.messages.length === 4)
    await exchange(client, ["e"])
    expect(client.messages).toEqual(["a", "b", "c", "d", "e"])
    expect(client.closed).toBeNull()
    const start = second
      .messages("ToClientCommands")
      .flatMap((commands) => commands.val)
      .find((command) => command.inner.tag === "CommandStartActor")
    if (start?.inner.tag !== "CommandStartActor") throw new Error("no start command")
    expect(start.inner.val.hibernatingRequests).toHaveLength(1)
    // The v7 counter goes on from the v3 socket's: open 0, a 1, b 2; the v7 runner sees each of
    // the rest once (a replay of a or b would show here).
    expect([...second.messageIndexes.values()]).toEqual([[3, 4, 5]])
    expect(socketEvents.map((event) => event.event)).toEqual(["open", "hibernate", "wake"])
  })

  it("sleeps on a v7 runner and wakes on a v3 runner", async () => {
    const first = await v7Runner()
    const actor = gateway.createActor({ name: "chat", runnerName: "pool" })
    const client = connect(actor.actorId)
    await client.opened
    await exchange(client, ["a", "b"])
    await asleep(actor.actorId)
    first.kill()
    await eventually(() => gateway.runners().length === 0)
    client.send("c")
    client.send("d")
    // The actor's storage, migrated by the application: the socket by its v3 request id, and the
    // last message delivered in v3 numbering (b: v7 index 2, the open having taken 0).
    const open = socketEvents.find((event) => event.event === "open")
    if (open === undefined) throw new Error("no open event")
    const hooks = createMemoryHibernationStore()
    await hooks.saveHibernating(actor.actorId, {
      requestId: open.requestId,
      path: PATH,
      headers: {},
      lastMessageIndex: 1,
    })
    const delivered: string[] = []
    const second = echoRunner({
      endpoint: gateway.url,
      version: 3,
      runnerName: "pool",
      persist: hooks,
      handlers: {
        websocket: (_actorId, ws) => {
          ws.addEventListener("message", (event) => {
            delivered.push(String(event.data))
            ws.send(event.data)
          })
        },
      },
    })
    sdkRunners.push(second)
    await second.start()
    await client.until(() => client.messages.length === 4)
    await exchange(client, ["e"])
    expect(client.messages).toEqual(["a", "b", "c", "d", "e"])
    expect(delivered).toEqual(["c", "d", "e"])
    expect(client.closed).toBeNull()
    expect(socketEvents.map((event) => event.event)).toEqual(["open", "hibernate", "wake"])
  })
})

async function eventually(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error("condition not met")
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
