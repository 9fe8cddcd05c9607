// Issue #12 point 4: our runner at v7 against a gateway built only from Rivet's published v7 codec
// and `v4-v7.md` (test/support/reference-gateway.ts), through the scenarios Rivet's own runners go
// through against the gateway mock. Section numbers are `v4-v7.md`'s.
import { RUNNER_SHUTDOWN_REASON, RunnerClose } from "@tunnelwire/protocol"
import type * as rivet from "rivet-protocol-v7"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { createMemoryHibernationStore, Runner, type TunnelWebSocket } from "../src/index.js"
import { seededRandom } from "./support/harness.js"
import {
  bytes,
  ENGINE_METADATA,
  type GatewayRequest,
  ReferenceGateway,
  text,
} from "./support/reference-gateway.js"

const RUNNER_ID = "5f0e7b9c-3a6d-4e21-9b8f-0c1d2e3f4a5b"
const ACTOR_ID = "8c2d4e6f-1a3b-4c5d-8e7f-9a0b1c2d3e4f"

let gateway: ReferenceGateway
let runner: Runner
/** What the actor's sockets saw, per socket, as `message:<text>` / `close:<code>:<reason>`. */
let socketEvents: Map<TunnelWebSocket, string[]>
let sockets: TunnelWebSocket[]
/** The actor's generation and next command index at the gateway; null when not started. */
let actor: { generation: number; nextCommand: bigint } | null

afterEach(async () => {
  // The engine answers a runner's stopping with a stop for each actor (§8).
  const stopping = gateway.next("ToServerStopping").then(() => {
    if (actor !== null) void stopActor(actor.generation, actor.nextCommand)
  })
  await runner.shutdown()
  await Promise.race([stopping, Promise.resolve()])
  await gateway.close()
})

beforeEach(async () => {
  gateway = await ReferenceGateway.start()
  socketEvents = new Map()
  sockets = []
  actor = null
  runner = new Runner({
    endpoint: gateway.url,
    namespace: "default",
    runnerName: "reference",
    token: "sekret",
    shutdownTimeoutMs: 2_000,
    random: seededRandom(7),
    handlers: {
      onActorStart: () => {},
      onActorStop: () => {},
      fetch: async (_actorId, request) =>
        new Response(`${request.method} ${new URL(request.url).pathname} ${await request.text()}`, {
          status: 201,
          headers: { "x-reference": "yes" },
        }),
      websocket: (_actorId, ws) => {
        const events: string[] = []
        socketEvents.set(ws, events)
        sockets.push(ws)
        ws.addEventListener("message", (event) => {
          events.push(`message:${String(event.data)}`)
          if (event.data === "close please") ws.close(1000, "done")
          else ws.send(event.data)
        })
        ws.addEventListener("close", (event) => events.push(`close:${event.code}:${event.reason}`))
      },
      canHibernate: (_actorId, request) => new URL(request.url).pathname === "/hibernate",
      ...createMemoryHibernationStore(),
    },
  })
})

/** §3 and §9.1: the runner's first frame is `ToServerInit`; the engine answers `ToClientInit`. */
async function connect(): Promise<void> {
  const started = runner.start()
  const init = await gateway.next("ToServerInit")
  expect(gateway.received[0]).toBe(init)
  gateway.send({ tag: "ToClientInit", val: { runnerId: RUNNER_ID, metadata: ENGINE_METADATA } })
  await started
}

/** §9.2: a start command at index 0 of `generation`; the runner reports the actor running. */
async function startActor(
  generation: number,
  hibernatingRequests: rivet.HibernatingRequest[] = [],
) {
  const since = gateway.received.length
  actor = { generation, nextCommand: 1n }
  gateway.send({
    tag: "ToClientCommands",
    val: [
      {
        checkpoint: { actorId: ACTOR_ID, generation, index: 0n },
        inner: {
          tag: "CommandStartActor",
          val: {
            config: { name: "echo", key: "k", createTs: 1_700_000_000_000n, input: null },
            hibernatingRequests,
          },
        },
      },
    ],
  })
  return gateway.next("ToServerEvents", since, (message) =>
    message.val.some(
      (event) =>
        event.inner.tag === "EventActorStateUpdate" &&
        event.inner.val.state.tag === "ActorStateRunning",
    ),
  )
}

async function stopActor(generation: number, index: bigint): Promise<rivet.EventWrapper> {
  const since = gateway.received.length
  actor = null
  gateway.send({
    tag: "ToClientCommands",
    val: [
      {
        checkpoint: { actorId: ACTOR_ID, generation, index },
        inner: { tag: "CommandStopActor", val: null },
      },
    ],
  })
  const events = await gateway.next("ToServerEvents", since, (message) =>
    message.val.some((event) => event.inner.tag === "EventActorStateUpdate"),
  )
  return events.val[0] as rivet.EventWrapper
}

/** §9.3: open (index 0) and the runner's open answer (its index 0). */
async function openSocket(
  path: string,
): Promise<{ request: GatewayRequest; canHibernate: boolean }> {
  const request = gateway.newRequest()
  const since = gateway.received.length
  expect(
    gateway.tunnel(request, {
      tag: "ToClientWebSocketOpen",
      val: { actorId: ACTOR_ID, path, headers: new Map([["x-client", "1"]]) },
    }),
  ).toBe(0)
  const answer = await gateway.waitFor(() => gateway.tunnelFrom(request, since)[0])
  expect(answer.messageId.messageIndex).toBe(0)
  if (answer.messageKind.tag !== "ToServerWebSocketOpen") throw new Error(answer.messageKind.tag)
  return { request, canHibernate: answer.messageKind.val.canHibernate }
}

function clientMessage(request: GatewayRequest, value: string): number {
  return gateway.tunnel(request, {
    tag: "ToClientWebSocketMessage",
    val: { data: bytes(value), binary: false },
  })
}

function echoes(request: GatewayRequest): string[] {
  return gateway
    .tunnelFrom(request)
    .flatMap(({ messageKind }) =>
      messageKind.tag === "ToServerWebSocketMessage" ? [text(messageKind.val.data)] : [],
    )
}

describe("our runner at v7 against a gateway built from Rivet's published v7 codec", () => {
  it("connects to /runners/connect at v7 with the rivet subprotocols, is accepted and answers the engine's pings", async () => {
    await connect()
    const [connection] = gateway.connections
    expect(connection?.url.searchParams.get("protocol_version")).toBe("7")
    expect(connection?.url.searchParams.get("namespace")).toBe("default")
    expect(connection?.protocols).toEqual(["rivet", "rivet_token.sekret"])
    expect(runner.protocolVersion).toBe(7)
    expect(runner.runnerId).toBe(RUNNER_ID)
    expect(runner.protocolMetadata).toEqual(ENGINE_METADATA)
    // §5: the engine pings; the runner answers at once with the same timestamp.
    gateway.send({ tag: "ToClientPing", val: { ts: 1_234_567n } })
    const pong = await gateway.next("ToServerPong")
    expect(pong.val.ts).toBe(1_234_567n)
  })

  it("starts an actor: reports it running as event 0 of its generation and acknowledges the command", async () => {
    await connect()
    const running = await startActor(3)
    expect(running.val).toEqual([
      {
        checkpoint: { actorId: ACTOR_ID, generation: 3, index: 0n },
        inner: {
          tag: "EventActorStateUpdate",
          val: { state: { tag: "ActorStateRunning", val: null } },
        },
      },
    ])
    const ack = await gateway.next("ToServerAckCommands")
    expect(ack.val.lastCommandCheckpoints).toEqual([
      { actorId: ACTOR_ID, generation: 3, index: 0n },
    ])
  })

  it("echoes 100 WebSocket messages in order, numbering its own messages per request from 0", async () => {
    await connect()
    await startActor(1)
    const { request, canHibernate } = await openSocket("/echo")
    expect(canHibernate).toBe(false)
    const sent = Array.from({ length: 100 }, (_, i) => `m${i + 1}`)
    expect(sent.map((value) => clientMessage(request, value))).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    )
    await gateway.waitFor(() => echoes(request).length === 100)
    expect(echoes(request)).toEqual(sent)
    expect(gateway.tunnelFrom(request).map((message) => message.messageId.messageIndex)).toEqual(
      Array.from({ length: 101 }, (_, i) => i),
    )
    // §6: no TunnelAck in v7, and a socket that cannot hibernate acknowledges nothing.
    expect(
      gateway
        .tunnelFrom(request)
        .filter((message) => message.messageKind.tag === "ToServerWebSocketMessageAck"),
    ).toEqual([])
  })

  it("delivers the client's close 4000 bye once and answers it with nothing (§6 Close)", async () => {
    await connect()
    await startActor(1)
    const { request } = await openSocket("/echo")
    clientMessage(request, "hello")
    await gateway.waitFor(() => echoes(request).length === 1)
    const since = gateway.received.length
    gateway.tunnel(request, { tag: "ToClientWebSocketClose", val: { code: 4000, reason: "bye" } })
    const ws = sockets[0] as TunnelWebSocket
    await vi.waitFor(() => expect(socketEvents.get(ws)).toContain("close:4000:bye"))
    // A ping round trip after the close: anything the runner sent for it would be here first.
    gateway.send({ tag: "ToClientPing", val: { ts: 99n } })
    await gateway.next("ToServerPong", since)
    expect(gateway.tunnelFrom(request, since)).toEqual([])
    expect(socketEvents.get(ws)).toEqual(["message:hello", "close:4000:bye"])
  })

  it("sends the actor's close 1000 done once and ignores the engine's echo of it", async () => {
    await connect()
    await startActor(1)
    const { request } = await openSocket("/echo")
    clientMessage(request, "close please")
    const close = await gateway.waitFor(() =>
      gateway
        .tunnelFrom(request)
        .find((message) => message.messageKind.tag === "ToServerWebSocketClose"),
    )
    expect(close.messageKind).toEqual({
      tag: "ToServerWebSocketClose",
      val: { code: 1000, reason: "done", hibernate: false },
    })
    // §6 Close: the Rust gateway answers a runner close with {1000, none}; runners ignore it.
    const since = gateway.received.length
    gateway.tunnel(request, { tag: "ToClientWebSocketClose", val: { code: 1000, reason: null } })
    gateway.send({ tag: "ToClientPing", val: { ts: 100n } })
    await gateway.next("ToServerPong", since)
    expect(gateway.tunnelFrom(request, since)).toEqual([])
    expect(echoes(request)).toEqual([])
    expect(socketEvents.get(sockets[0] as TunnelWebSocket)).toEqual([
      "message:close please",
      "close:1000:done",
    ])
  })

  it("serves a tunneled HTTP request: status, headers and body in one response start (§6 HTTP)", async () => {
    await connect()
    await startActor(1)
    const request = gateway.newRequest()
    gateway.tunnel(request, {
      tag: "ToClientRequestStart",
      val: {
        actorId: ACTOR_ID,
        method: "POST",
        path: "/things?x=1",
        headers: new Map([["content-type", "text/plain"]]),
        body: bytes("payload"),
        stream: false,
      },
    })
    const [response] = await gateway.waitFor(() => {
      const messages = gateway.tunnelFrom(request)
      return messages.length > 0 && messages
    })
    expect(response?.messageId.messageIndex).toBe(0)
    if (response?.messageKind.tag !== "ToServerResponseStart") throw new Error("no response start")
    const start = response.messageKind.val
    expect(start.status).toBe(201)
    expect(start.stream).toBe(false)
    expect(start.headers.get("x-reference")).toBe("yes")
    expect(text(start.body as ArrayBuffer)).toBe("POST /things payload")
  })

  it("keeps a hibernatable socket across a sleep and wakes with nothing lost (§6 Hibernation, §9.6)", async () => {
    await connect()
    await startActor(1)
    const { request, canHibernate } = await openSocket("/hibernate")
    expect(canHibernate).toBe(true)
    for (const value of ["a", "b", "c"]) clientMessage(request, value)
    await gateway.waitFor(() => echoes(request).length === 3)
    // The runner acknowledges what it delivered and saved, by the gateway's index.
    await gateway.waitFor(() =>
      gateway
        .tunnelFrom(request)
        .some(
          (message) =>
            message.messageKind.tag === "ToServerWebSocketMessageAck" &&
            message.messageKind.val.index === 3,
        ),
    )
    runner.sleepActor(ACTOR_ID)
    const intent = await gateway.next("ToServerEvents", 0, (message) =>
      message.val.some((event) => event.inner.tag === "EventActorIntent"),
    )
    expect(intent.val[0]?.inner).toEqual({
      tag: "EventActorIntent",
      val: { intent: { tag: "ActorIntentSleep", val: null } },
    })
    const beforeStop = gateway.received.length
    const stopped = await stopActor(1, 1n)
    expect(stopped.inner.tag === "EventActorStateUpdate" && stopped.inner.val.state.tag).toBe(
      "ActorStateStopped",
    )
    // The socket hibernates: the runner says nothing about it.
    expect(gateway.tunnelFrom(request, beforeStop)).toEqual([])
    // Wake: a new generation names the request; then the next client messages, same counter.
    await startActor(2, [{ gatewayId: request.gatewayId, requestId: request.requestId }])
    expect(clientMessage(request, "d")).toBe(4)
    expect(clientMessage(request, "e")).toBe(5)
    await gateway.waitFor(() => echoes(request).length === 5)
    expect(echoes(request)).toEqual(["a", "b", "c", "d", "e"])
    expect(sockets).toHaveLength(2)
    expect(socketEvents.get(sockets[0] as TunnelWebSocket)).toEqual([
      "message:a",
      "message:b",
      "message:c",
      `close:${RunnerClose.actorStopped.code}:${RunnerClose.actorStopped.reason}`,
    ])
    expect(socketEvents.get(sockets[1] as TunnelWebSocket)).toEqual(["message:d", "message:e"])
    // The restored socket sent no new open answer.
    expect(
      gateway
        .tunnelFrom(request)
        .filter((message) => message.messageKind.tag === "ToServerWebSocketOpen"),
    ).toHaveLength(1)
  })

  it("deletes a KV range with the v7 request and its delete response (§7)", async () => {
    await connect()
    await startActor(1)
    const deleted = runner.kv(ACTOR_ID).deleteRange(new Uint8Array([1]), new Uint8Array([5]))
    const request = await gateway.next("ToServerKvRequest")
    expect(request.val.actorId).toBe(ACTOR_ID)
    expect(request.val.data.tag).toBe("KvDeleteRangeRequest")
    if (request.val.data.tag !== "KvDeleteRangeRequest") return
    expect([...new Uint8Array(request.val.data.val.start)]).toEqual([1])
    expect([...new Uint8Array(request.val.data.val.end)]).toEqual([5])
    gateway.send({
      tag: "ToClientKvResponse",
      val: { requestId: request.val.requestId, data: { tag: "KvDeleteResponse", val: null } },
    })
    await expect(deleted).resolves.toBeUndefined()
  })

  it("shuts down cleanly: stopping, the engine stops the actor, then close 1000 with the shutdown reason (§8)", async () => {
    await connect()
    await startActor(1)
    const done = runner.shutdown()
    const stopping = await gateway.next("ToServerStopping")
    expect(stopping.val).toBeNull()
    const stopped = await stopActor(1, 1n)
    expect(stopped.checkpoint).toEqual({ actorId: ACTOR_ID, generation: 1, index: 1n })
    await done
    await gateway.waitFor(() => gateway.closes.length > 0)
    expect(gateway.closes).toEqual([{ code: 1000, reason: RUNNER_SHUTDOWN_REASON }])
  })
})
