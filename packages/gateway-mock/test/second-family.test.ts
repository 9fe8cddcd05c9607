// The gateway's second-family edge (v4–v7), frame by frame: the handshake each version gets,
// who pings whom, commands and events by checkpoint per actor generation (with the replay after a
// reconnect), tunnel message ids, and KV including v7's delete-range.

import { idKey, type latest, RunnerConnectionClose } from "@tunnelwire/protocol"
import { decodeToClient as decodeV4 } from "@tunnelwire/protocol/v4"
import { decodeToClient as decodeV5 } from "@tunnelwire/protocol/v5"
import { decodeToClient as decodeV6 } from "@tunnelwire/protocol/v6"
import { decodeToClient as decodeV7 } from "@tunnelwire/protocol/v7"
import { afterEach, describe, expect, it } from "vitest"
import { type Gateway, type GatewayOptions, startGateway } from "../src/index.js"
import { eventually, gatewaySocketUrl, TestClient } from "./support/client.js"
import {
  SecondFamilyRunner,
  type SecondFamilyRunnerOptions,
} from "./support/raw-second-family-runner.js"

const VERSIONS = [4, 5, 6, 7] as const
const OWN_DECODERS = { 4: decodeV4, 5: decodeV5, 6: decodeV6, 7: decodeV7 }

let gateway: Gateway | undefined
const runners: SecondFamilyRunner[] = []
const clients: TestClient[] = []

async function setup(options: GatewayOptions = {}) {
  gateway = await startGateway(options)
  return gateway
}

async function connect(options: Omit<SecondFamilyRunnerOptions, "url">) {
  const runner = new SecondFamilyRunner({ url: gateway!.url, ...options })
  runners.push(runner)
  return runner.start()
}

function client(actorId: string, path = "/ws") {
  const c = new TestClient(gatewaySocketUrl(gateway!.url, actorId, path))
  clients.push(c)
  return c
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate()
  for (const r of runners.splice(0)) r.kill()
  await gateway?.stop()
  gateway = undefined
})

const isTunnel =
  <K extends latest.ToClientTunnelMessageKind["tag"]>(tag: K) =>
  (
    m: latest.ToClient,
  ): m is Extract<latest.ToClient, { tag: "ToClientTunnelMessage" }> & {
    val: { messageKind: Extract<latest.ToClientTunnelMessageKind, { tag: K }> }
  } =>
    m.tag === "ToClientTunnelMessage" && m.val.messageKind.tag === tag

const isCommands = (
  m: latest.ToClient,
): m is Extract<latest.ToClient, { tag: "ToClientCommands" }> => m.tag === "ToClientCommands"

describe.each(VERSIONS)("a v%i runner", (version) => {
  it("gets ToClientInit in its own version's shape", async () => {
    await setup({ runnerLostThresholdMs: 4_000 })
    const runner = await connect({ version })
    const init = runner.received.find((f) => f.message.tag === "ToClientInit")!
    const own = OWN_DECODERS[version](init.wire)
    expect(own.tag).toBe("ToClientInit")
    const metadata = (own.val as { metadata: object }).metadata
    expect(metadata).toEqual(
      version >= 6
        ? {
            runnerLostThreshold: 4_000n,
            actorStopThreshold: 30_000n,
            serverlessDrainGracePeriod: null,
          }
        : { runnerLostThreshold: 4_000n },
    )
    expect(gateway!.runners()).toEqual([expect.objectContaining({ version })])
  })

  it("is pinged by the gateway and closed when it stops answering", async () => {
    await setup({ pingIntervalMs: 40, pingTimeoutMs: 400 })
    const runner = await connect({ version, pong: false })
    await runner.next((m) => m.tag === "ToClientPing")
    await new Promise<void>((resolve) => runner.ws.once("close", () => resolve()))
    expect(runner.closed).toEqual({
      code: RunnerConnectionClose.pingTimeout.code,
      reason: RunnerConnectionClose.pingTimeout.reason,
    })
  })

  it("stays connected while it answers the pings", async () => {
    await setup({ pingIntervalMs: 40, pingTimeoutMs: 400 })
    const runner = await connect({ version })
    await runner.next((m) => m.tag === "ToClientPing")
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(runner.closed).toBeNull()
    expect(runner.messages("ToClientPing").length).toBeGreaterThan(3)
  })

  it("gets commands by checkpoint per actor generation, replayed until acknowledged", async () => {
    await setup({ runnerLostThresholdMs: 5_000 })
    const runner = await connect({ version, serve: false, runnerKey: `replay-${version}` })
    const actor = gateway!.createActor({ name: "counted" })
    gateway!.wakeActor(actor.actorId)
    const start = await runner.next(isCommands)
    expect(start.val).toEqual([
      {
        checkpoint: { actorId: actor.actorId, generation: 1, index: 0n },
        inner: expect.objectContaining({ tag: "CommandStartActor" }),
      },
    ])
    // v4 acknowledgement checkpoints name no generation (the codec reads and writes 0 there).
    const acked = version === 4 ? 0 : 1
    runner.running(actor.actorId, 1)
    const ack = await runner.next((m) => m.tag === "ToClientAckEvents")
    expect(ack.val).toEqual({
      lastEventCheckpoints: [{ actorId: actor.actorId, generation: acked, index: 0n }],
    })
    expect(gateway!.getActor(actor.actorId)?.state).toBe("running")

    // The start was never acknowledged: a reconnect within the lost threshold gets it again,
    // under the same runner id, and the actor is still where it was.
    const firstId = gateway!.runners()[0]!.runnerId
    runner.kill()
    const again = await connect({ version, serve: false, runnerKey: `replay-${version}` })
    expect(again.received[0]!.message).toEqual({
      tag: "ToClientInit",
      val: expect.objectContaining({ runnerId: firstId }),
    })
    expect(again.received[1]!.message).toEqual(start)
    expect(gateway!.getActor(actor.actorId)).toMatchObject({ state: "running", generation: 1 })

    // Acknowledged, it is not replayed; the stop that follows is index 1 of the same generation.
    again.send({
      tag: "ToServerAckCommands",
      val: { lastCommandCheckpoints: [{ actorId: actor.actorId, generation: acked, index: 0n }] },
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    const from = again.received.length
    gateway!.sleepActor(actor.actorId)
    const stop = await again.next(isCommands, from)
    expect(stop.val[0]!.checkpoint).toEqual({ actorId: actor.actorId, generation: 1, index: 1n })
    expect(stop.val[0]!.inner.tag).toBe("CommandStopActor")
    again.kill()
    const third = await connect({ version, serve: false, runnerKey: `replay-${version}` })
    expect(third.messages("ToClientCommands")).toEqual([stop])
  })

  it("has a replayed event counted once", async () => {
    await setup()
    const runner = await connect({ version, serve: false })
    const actor = gateway!.createActor({ name: "once" })
    gateway!.wakeActor(actor.actorId)
    await runner.next(isCommands)
    runner.running(actor.actorId, 1)
    await runner.next((m) => m.tag === "ToClientAckEvents")
    // The same event again (a runner resends unacknowledged events after a reconnect), then a
    // sleep intent: only the intent is new, and it makes the gateway stop the actor.
    runner.running(actor.actorId, 1)
    runner.event(actor.actorId, 1, {
      tag: "EventActorIntent",
      val: { intent: { tag: "ActorIntentSleep", val: null } },
    })
    const stop = await runner.next(
      (m) => isCommands(m) && m.val[0]!.inner.tag === "CommandStopActor",
    )
    expect(
      (stop as Extract<latest.ToClient, { tag: "ToClientCommands" }>).val[0]!.checkpoint.index,
    ).toBe(1n)
    expect(gateway!.getActor(actor.actorId)?.state).toBe("stopping")
  })

  it("gets a hibernating socket's held message right behind the start command, before it reports the actor running", async () => {
    await setup()
    const runner = await connect({ version, serve: false })
    const actor = gateway!.createActor({ name: "sleepy" })
    const c = client(actor.actorId)
    await runner.next(isCommands)
    runner.running(actor.actorId, 1)
    const open = await runner.next(isTunnel("ToClientWebSocketOpen"))
    runner.send({
      tag: "ToServerTunnelMessage",
      val: {
        messageId: { ...open.val.messageId, messageIndex: 0 },
        messageKind: { tag: "ToServerWebSocketOpen", val: { canHibernate: true } },
      },
    })
    await c.opened
    gateway!.sleepActor(actor.actorId)
    await runner.next((m) => isCommands(m) && m.val[0]!.inner.tag === "CommandStopActor")
    runner.stopped(actor.actorId, 1)
    await eventually(() => gateway!.getActor(actor.actorId)?.state === "stopped")

    const from = runner.received.length
    c.send("wakes it")
    // The runner has not reported the new generation running: the message comes anyway.
    const message = await runner.next(isTunnel("ToClientWebSocketMessage"), from)
    const after = runner.received.slice(from).map((frame) => frame.message)
    const start = after.findIndex(
      (m) => isCommands(m) && m.val[0]!.inner.tag === "CommandStartActor",
    )
    expect(start).toBeGreaterThanOrEqual(0)
    expect(after.indexOf(message)).toBeGreaterThan(start)
    const command = (after[start] as Extract<latest.ToClient, { tag: "ToClientCommands" }>).val[0]!
    expect(command.checkpoint.generation).toBe(2)
    expect(
      command.inner.tag === "CommandStartActor" && command.inner.val.hibernatingRequests,
    ).toEqual([
      { gatewayId: open.val.messageId.gatewayId, requestId: open.val.messageId.requestId },
    ])
    expect(message.val.messageId.messageIndex).toBe(1)
    expect(message.val.messageKind).toEqual({
      tag: "ToClientWebSocketMessage",
      val: { data: new TextEncoder().encode("wakes it").buffer, binary: false },
    })
    expect(gateway!.getActor(actor.actorId)?.state).toBe("starting")

    // Running reported, the actor's answer reaches the client as on any open socket.
    runner.running(actor.actorId, 2)
    runner.send({
      tag: "ToServerTunnelMessage",
      val: {
        messageId: { ...message.val.messageId, messageIndex: 1 },
        messageKind: { tag: "ToServerWebSocketMessage", val: message.val.messageKind.val },
      },
    })
    await c.until(() => c.messages.length === 1)
    expect(c.messages).toEqual(["wakes it"])
    expect(gateway!.getActor(actor.actorId)?.state).toBe("running")
  })

  it("gets 10-byte message ids: one counter per request from the open, the same gateway id", async () => {
    await setup()
    const runner = await connect({ version, canHibernate: true })
    const actor = gateway!.createActor({ name: "ids" })
    const c = client(actor.actorId)
    await c.opened
    for (const m of ["a", "b", "c"]) c.send(m)
    await c.until(() => c.messages.length === 3)
    expect(c.messages).toEqual(["a", "b", "c"])
    const tunnel = runner.messages("ToClientTunnelMessage")
    expect(tunnel.map((m) => [m.val.messageKind.tag, m.val.messageId.messageIndex])).toEqual([
      ["ToClientWebSocketOpen", 0],
      ["ToClientWebSocketMessage", 1],
      ["ToClientWebSocketMessage", 2],
      ["ToClientWebSocketMessage", 3],
    ])
    const ids = new Set(
      tunnel.map((m) => idKey(m.val.messageId.gatewayId) + idKey(m.val.messageId.requestId)),
    )
    expect(ids.size).toBe(1)
    expect(tunnel[0]!.val.messageId.gatewayId.byteLength).toBe(4)
    expect(tunnel[0]!.val.messageId.requestId.byteLength).toBe(4)
  })

  it("answers KV within Rivet's limits and refuses what exceeds them", async () => {
    await setup()
    const runner = await connect({ version, serve: false })
    const actor = gateway!.createActor({ name: "kv" })
    gateway!.wakeActor(actor.actorId)
    await runner.next(isCommands)
    runner.running(actor.actorId, 1)
    await runner.next((m) => m.tag === "ToClientAckEvents")
    const key = (k: string) => new TextEncoder().encode(k).buffer as ArrayBuffer
    const put = await runner.kv(actor.actorId, 1, {
      tag: "KvPutRequest",
      val: { keys: ["a", "b", "c", "d"].map(key), values: ["1", "2", "3", "4"].map(key) },
    })
    expect(put.tag).toBe("KvPutResponse")
    const tooLong = await runner.kv(actor.actorId, 2, {
      tag: "KvGetRequest",
      val: { keys: [new ArrayBuffer(2_049)] },
    })
    expect(tooLong).toEqual({
      tag: "KvErrorResponse",
      val: { message: "a key of 2049 bytes exceeds the limit of 2048" },
    })
    const tooMany = await runner.kv(actor.actorId, 3, {
      tag: "KvDeleteRequest",
      val: { keys: Array.from({ length: 129 }, (_, i) => key(`k${i}`)) },
    })
    expect(tooMany.tag).toBe("KvErrorResponse")
    const list = await runner.kv(actor.actorId, 4, {
      tag: "KvListRequest",
      val: { query: { tag: "KvListAllQuery", val: null }, reverse: null, limit: null },
    })
    expect(
      list.tag === "KvListResponse" && list.val.keys.map((k) => Buffer.from(k).toString()),
    ).toEqual(["a", "b", "c", "d"])
  })
})

describe("v7 KV delete-range", () => {
  it("deletes [start, end) and answers KvDeleteResponse; start ≥ end deletes nothing", async () => {
    await setup()
    const runner = await connect({ version: 7, serve: false })
    const actor = gateway!.createActor({ name: "range" })
    gateway!.wakeActor(actor.actorId)
    await runner.next(isCommands)
    runner.running(actor.actorId, 1)
    await runner.next((m) => m.tag === "ToClientAckEvents")
    const key = (k: string) => new TextEncoder().encode(k).buffer as ArrayBuffer
    await runner.kv(actor.actorId, 1, {
      tag: "KvPutRequest",
      val: { keys: ["a", "b", "c", "d"].map(key), values: ["1", "2", "3", "4"].map(key) },
    })
    const listed = async (requestId: number) => {
      const list = await runner.kv(actor.actorId, requestId, {
        tag: "KvListRequest",
        val: { query: { tag: "KvListAllQuery", val: null }, reverse: null, limit: null },
      })
      return list.tag === "KvListResponse"
        ? list.val.keys.map((k) => Buffer.from(k).toString())
        : []
    }
    const none = await runner.kv(actor.actorId, 2, {
      tag: "KvDeleteRangeRequest",
      val: { start: key("c"), end: key("b") },
    })
    expect(none).toEqual({ tag: "KvDeleteResponse", val: null })
    expect(await listed(3)).toEqual(["a", "b", "c", "d"])
    const ranged = await runner.kv(actor.actorId, 4, {
      tag: "KvDeleteRangeRequest",
      val: { start: key("b"), end: key("d") },
    })
    expect(ranged).toEqual({ tag: "KvDeleteResponse", val: null })
    expect(await listed(5)).toEqual(["a", "d"])
    // Drop moved from tag 4 to 5 in v7; the gateway reads it as this connection's version says.
    const drop = await runner.kv(actor.actorId, 6, { tag: "KvDropRequest", val: null })
    expect(drop).toEqual({ tag: "KvDropResponse", val: null })
    expect(await listed(7)).toEqual([])
  })
})
