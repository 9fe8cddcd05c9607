import { replaysWithStart } from "@tunnelwire/protocol"
import { capabilities, PROTOCOL_VERSIONS } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import type { TestClient } from "./support/client.js"
import { eventually } from "./support/client.js"
import { useGateway } from "./support/fixture.js"
import type { SocketStore } from "./support/raw-runner.js"

const TOTAL = 10_000
const fixture = useGateway({ maxPendingMessages: 2 * TOTAL, maxPendingBytes: 16 * 1024 * 1024 })
const hibernating = PROTOCOL_VERSIONS.filter((version) => capabilities(version).canHibernate)
const expected = Array.from({ length: TOTAL }, (_, i) => `seq:${i}`)

/** Sends the first half, lets `interrupt` run once a quarter came back, then sends the rest. */
async function streamAcross(client: TestClient, interrupt: () => Promise<void>): Promise<void> {
  for (let i = 0; i < TOTAL / 2; i++) client.send(expected[i]!)
  await client.until(() => client.messages.length >= TOTAL / 4)
  await interrupt()
  for (let i = TOTAL / 2; i < TOTAL; i++) client.send(expected[i]!)
  await client.until(() => client.messages.length >= TOTAL, 60_000)
}

describe.each(hibernating)("a hibernatable socket on a raw v%i runner", (version) => {
  it(`delivers ${TOTAL} sequenced messages across an actor sleep: none lost, duplicated or reordered`, async () => {
    const f = fixture()
    const runner = await f.runner({ version })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    await streamAcross(client, async () => {
      f.gateway.sleepActor(actor.actorId)
      await runner.until(() => !runner.running.has(actor.actorId))
    })
    expect(client.messages).toEqual(expected)
    expect([...runner.delivered.values()]).toEqual([expected])
    const socketEvents = f.tapped("socket").map((event) => event.event)
    expect(socketEvents).toEqual(["open", "hibernate", "wake"])
    expect(f.gateway.getActor(actor.actorId)?.generation).toBe(2)
  })

  it(`delivers ${TOTAL} sequenced messages across a runner restart`, async () => {
    const f = fixture()
    const store: SocketStore = new Map()
    const first = await f.runner({ version, store, runnerKey: "restarting" })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    let second = first
    await streamAcross(client, async () => {
      await first.stop()
      await eventually(() => f.gateway.runners().length === 0)
      second = await f.runner({ version, store, runnerKey: "restarting" })
    })
    expect(client.messages).toEqual(expected)
    const delivered = [...first.delivered.values(), ...second.delivered.values()]
    expect(delivered.flat()).toEqual(expected)
    expect(f.gateway.getActor(actor.actorId)?.runnerId).toBe(second.runnerId)
    expect(client.closed).toBeNull()
  })
})

describe.each(hibernating)("a wake on a raw v%i runner", (version) => {
  const early = replaysWithStart(version)
  it(`sends the held message ${early ? "right behind the start command, before the actor reports running" : "once the actor reports running"}`, async () => {
    const f = fixture()
    await f.runner({ version })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    client.send("before the sleep")
    await client.until(() => client.messages.length === 1)
    f.gateway.sleepActor(actor.actorId)
    await eventually(() => f.gateway.getActor(actor.actorId)?.state === "stopped")
    const from = f.events.length
    client.send("wakes it")
    await client.until(() => client.messages.length === 2)
    expect(client.messages).toEqual(["before the sleep", "wakes it"])
    const frames = f.events.slice(from).filter((event) => event.type === "frame")
    const position = (match: (text: string, kind: string, toRunner: boolean) => boolean) =>
      frames.findIndex((frame) => match(frame.text, frame.kind, frame.direction === "toRunner"))
    const start = position((text, _, toRunner) => toRunner && text.includes("CommandStartActor"))
    const message = position((_, kind, toRunner) => toRunner && kind === "ToClientWebSocketMessage")
    const running = position((text, _, toRunner) => !toRunner && text.includes("ActorStateRunning"))
    expect(start).toBeGreaterThanOrEqual(0)
    expect(running).toBeGreaterThan(start)
    expect(message).toBeGreaterThan(start)
    expect(message < running).toBe(early)
    expect(f.gateway.getActor(actor.actorId)).toMatchObject({ state: "running", generation: 2 })
  })
})

describe("a sleep with messages delivered but not acknowledged", () => {
  it("does not wake the actor again; the next client message wakes it and both are replayed", async () => {
    const f = fixture()
    const runner = await f.runner({ version: 3, ackMessages: false })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    client.send("delivered, never acknowledged")
    await client.until(() => client.messages.length === 1)
    f.gateway.sleepActor(actor.actorId)
    await runner.until(() => !runner.running.has(actor.actorId))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(f.gateway.getActor(actor.actorId)).toMatchObject({ state: "stopped", generation: 1 })
    client.send("wakes it")
    await client.until(() => client.messages.length === 2)
    expect(client.messages).toEqual(["delivered, never acknowledged", "wakes it"])
    const replayed = runner
      .tunnelKinds("ToClientWebSocketMessage")
      .map((m) => m.messageKind.tag === "ToClientWebSocketMessage" && m.messageKind.val.index)
    expect(replayed).toEqual([0, 0, 1])
    expect([...runner.delivered.values()]).toEqual([["delivered, never acknowledged", "wakes it"]])
  })
})

describe.each(hibernating)("a socket that cannot hibernate on a raw v%i runner", (version) => {
  it("carries index 0 on every message, as Rivet's gateway numbers, and all are delivered", async () => {
    const f = fixture()
    const runner = await f.runner({ version, canHibernate: false })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    const sent = Array.from({ length: 20 }, (_, i) => `m${i}`)
    for (const text of sent) client.send(text)
    await client.until(() => client.messages.length === sent.length)
    const indexes = runner
      .tunnelKinds("ToClientWebSocketMessage")
      .map((m) => m.messageKind.tag === "ToClientWebSocketMessage" && m.messageKind.val.index)
    expect(indexes).toEqual(sent.map(() => 0))
    expect([...runner.delivered.values()]).toEqual([sent])
  })
})

describe("a runner lost with messages delivered but not acknowledged", () => {
  it("wakes the actor on the next runner and replays them there, with no further client message", async () => {
    const f = fixture()
    const store: SocketStore = new Map()
    const lost = await f.runner({ version: 3, ackMessages: false, store, runnerKey: "lost" })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    for (const text of ["m0", "m1", "m2"]) client.send(text)
    await client.until(() => client.messages.length === 3)
    lost.kill()
    await eventually(() => f.gateway.getActor(actor.actorId)?.state === "stopped")
    // It died before saving what it delivered: its actor kept only the open socket.
    const [key, kept] = [...store.entries()][0]!
    store.set(key, { ...kept, lastIndex: null })
    const next = await f.runner({ version: 3, store, runnerKey: "next" })
    await next.until(() => next.delivered.get(key)?.length === 3)
    expect(next.delivered.get(key)).toEqual(["m0", "m1", "m2"])
    await client.until(() => client.messages.length === 6)
    expect(client.messages).toEqual(["m0", "m1", "m2", "m0", "m1", "m2"])
    expect(f.gateway.getActor(actor.actorId)).toMatchObject({ state: "running", generation: 2 })
  })
})

describe("a v1 runner", () => {
  it("never hibernates: its socket is closed when the actor sleeps, even with buffered messages", async () => {
    const f = fixture()
    const runner = await f.runner({ version: 1 })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    client.send("hello")
    await client.until(() => client.messages.length === 1)
    f.gateway.sleepActor(actor.actorId)
    const closed = await client.closedPromise
    expect(closed.code).toBe(1001)
    expect(f.tapped("socket").map((event) => event.event)).toEqual(["open", "close"])
    const opens = runner.tunnelKinds("ToClientWebSocketOpen")
    expect(opens).toHaveLength(1)
  })
})

describe("runners of every version at once", () => {
  it("serve their own actors side by side", async () => {
    const f = fixture()
    const runners = await Promise.all(
      PROTOCOL_VERSIONS.map((version) => f.runner({ version, name: `v${version}` })),
    )
    const clients = PROTOCOL_VERSIONS.map((version) => {
      const actor = f.gateway.createActor({ name: "chat", runnerName: `v${version}` })
      return { actor, client: f.client(actor.actorId) }
    })
    await Promise.all(clients.map(({ client }) => client.opened))
    for (const { client } of clients) for (let i = 0; i < 100; i++) client.send(`m${i}`)
    for (const { client } of clients) await client.until(() => client.messages.length === 100)
    for (const [i, { actor }] of clients.entries()) {
      expect(f.gateway.getActor(actor.actorId)?.runnerId).toBe(runners[i]!.runnerId)
      const response = await fetch(`${f.gateway.url}/gateway/${actor.actorId}/v`)
      expect(await response.text()).toBe("GET /v whole ")
    }
    expect(
      f.gateway
        .runners()
        .map((r) => r.version)
        .sort(),
    ).toEqual([...PROTOCOL_VERSIONS])
  })
})
