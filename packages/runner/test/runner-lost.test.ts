// Issue #12 point 2 (`v4-v7.md` §3, §5): a runner disconnected past the gateway's runner lost
// threshold force-stops its actors and refuses pending KV; a reconnect in time keeps them; a
// `ToClientInit` under another runner id force-stops them before anything else. The timer runs on
// a clock the test moves (`scheduleRunnerLost`), against a gateway built from Rivet's published
// v7 codec and, over every version, against the fake gateway.
import { RunnerClose } from "@tunnelwire/protocol"
import type * as rivet from "rivet-protocol-v7"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import {
  type ActorStopInfo,
  createMemoryHibernationStore,
  Runner,
  RunnerLostError,
  type TunnelWebSocket,
} from "../src/index.js"
import { FakeGateway } from "./support/fake-gateway.js"
import { deferred, seededRandom, settle, testRunner, versions } from "./support/harness.js"
import { ManualClock } from "./support/manual-clock.js"
import {
  ENGINE_METADATA,
  type GatewayRequest,
  ReferenceGateway,
  text,
} from "./support/reference-gateway.js"

const RUNNER_ID = "5f0e7b9c-3a6d-4e21-9b8f-0c1d2e3f4a5b"
const NEW_RUNNER_ID = "0b7c1d2e-4f5a-4b6c-8d7e-1f2a3b4c5d6e"
const ACTOR_ID = "8c2d4e6f-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
const THRESHOLD_MS = Number(ENGINE_METADATA.runnerLostThreshold)

/** What `promise` rejects with (handled from the start); `null` if it resolves. */
function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  )
}

function stopLine(generation: number, info: ActorStopInfo): string {
  return `stop:${generation}:${info.reason}:${info.forced ? "forced" : "asked"}`
}

describe("runner lost, against a gateway built from Rivet's published v7 codec", () => {
  let gateway: ReferenceGateway
  let runner: Runner
  let clock: ManualClock
  /** The actor's lifecycle as `start:<generation>` and `stop:<generation>:<reason>:<forced|asked>`. */
  let journal: string[]
  /** Per socket, in order: `message:<text>` and `close:<code>:<reason>:<hibernating>`. */
  let socketEvents: Map<TunnelWebSocket, string[]>

  beforeEach(async () => {
    gateway = await ReferenceGateway.start()
    clock = new ManualClock()
    journal = []
    socketEvents = new Map()
    runner = new Runner({
      endpoint: gateway.url,
      namespace: "default",
      runnerName: "reference",
      shutdownTimeoutMs: 200,
      reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
      random: seededRandom(3),
      scheduleRunnerLost: clock.schedule,
      handlers: {
        onActorStart: (_actorId, generation) => {
          journal.push(`start:${generation}`)
        },
        onActorStop: (_actorId, generation, info) => {
          journal.push(stopLine(generation, info))
        },
        fetch: async (_actorId, request) => new Response(`served ${new URL(request.url).pathname}`),
        websocket: (_actorId, ws) => {
          const events: string[] = []
          socketEvents.set(ws, events)
          ws.addEventListener("message", (event) => {
            events.push(`message:${String(event.data)}`)
            ws.send(event.data)
          })
          ws.addEventListener("close", (event) =>
            events.push(`close:${event.code}:${event.reason}:${event.hibernating}`),
          )
        },
        canHibernate: (_actorId, request) => new URL(request.url).pathname === "/hibernate",
        ...createMemoryHibernationStore(),
      },
    })
  })

  afterEach(async () => {
    await runner.shutdown()
    await gateway.close()
  })

  async function connect(runnerId: string): Promise<void> {
    const started = runner.start()
    await gateway.next("ToServerInit")
    gateway.send({ tag: "ToClientInit", val: { runnerId, metadata: ENGINE_METADATA } })
    await started
  }

  /** Drops the connection; resolves with the frame index of the reconnected runner's init. */
  async function dropAndReconnect(): Promise<number> {
    const since = gateway.received.length
    gateway.drop()
    const init = await gateway.next("ToServerInit", since)
    return gateway.received.indexOf(init)
  }

  function accept(runnerId: string): void {
    gateway.send({ tag: "ToClientInit", val: { runnerId, metadata: ENGINE_METADATA } })
  }

  async function startActor(generation: number): Promise<void> {
    const since = gateway.received.length
    gateway.send({
      tag: "ToClientCommands",
      val: [
        {
          checkpoint: { actorId: ACTOR_ID, generation, index: 0n },
          inner: {
            tag: "CommandStartActor",
            val: {
              config: { name: "echo", key: null, createTs: 1_700_000_000_000n, input: null },
              hibernatingRequests: [],
            },
          },
        },
      ],
    })
    await gateway.next("ToServerEvents", since, (message) =>
      message.val.some(
        (event) =>
          event.inner.tag === "EventActorStateUpdate" &&
          event.inner.val.state.tag === "ActorStateRunning",
      ),
    )
  }

  async function openSocket(
    path: string,
  ): Promise<{ request: GatewayRequest; ws: TunnelWebSocket }> {
    const request = gateway.newRequest()
    const since = gateway.received.length
    gateway.tunnel(request, {
      tag: "ToClientWebSocketOpen",
      val: { actorId: ACTOR_ID, path, headers: new Map() },
    })
    await gateway.waitFor(() => gateway.tunnelFrom(request, since)[0])
    return { request, ws: [...socketEvents.keys()].at(-1) as TunnelWebSocket }
  }

  /** Events from frame `since` on, as `<generation>/<index> <state or event>`. */
  function eventsFrom(since: number): string[] {
    return gateway.received.slice(since).flatMap((message) =>
      message.tag === "ToServerEvents"
        ? message.val.map(({ checkpoint, inner }) => {
            const what = inner.tag === "EventActorStateUpdate" ? inner.val.state.tag : inner.tag
            return `${checkpoint.generation}/${checkpoint.index} ${what}`
          })
        : [],
    )
  }

  /** A ping round trip: whatever the runner sent before its pong is in `received` afterwards. */
  async function roundTrip(ts: bigint): Promise<void> {
    const since = gateway.received.length
    gateway.send({ tag: "ToClientPing", val: { ts } })
    await gateway.next("ToServerPong", since)
  }

  it("past the threshold without a new ToClientInit: actors force-stopped, KV refused, a hibernatable socket left to the gateway", async () => {
    await connect(RUNNER_ID)
    await startActor(1)
    const kept = await openSocket("/hibernate")
    const plain = await openSocket("/plain")
    const refused = failureOf(runner.kv(ACTOR_ID).get([new Uint8Array([1])]))
    await gateway.next("ToServerKvRequest")
    const reconnected = await dropAndReconnect()
    // Counted from the loss, for the threshold the gateway gave in ToClientInit.
    expect(clock.delays).toEqual([THRESHOLD_MS])
    clock.advance(THRESHOLD_MS - 1)
    await settle()
    expect(journal).toEqual(["start:1"])
    clock.advance(1)
    expect(await refused).toBeInstanceOf(RunnerLostError)
    expect(await refused).toMatchObject({
      reason: "thresholdPassed",
      actorId: ACTOR_ID,
      operation: "KvGetRequest",
    })
    await vi.waitFor(() => expect(journal).toEqual(["start:1", "stop:1:runnerLost:forced"]))
    const stopped = `${RunnerClose.actorStopped.code}:${RunnerClose.actorStopped.reason}`
    expect(socketEvents.get(kept.ws)).toEqual([`close:${stopped}:true`])
    expect(socketEvents.get(plain.ws)).toEqual([`close:${stopped}:false`])
    // Accepted again under the same id: the gateway hears that the actor stopped, and nothing
    // about the hibernatable socket, which it keeps for the actor's next start.
    accept(RUNNER_ID)
    await gateway.next("ToServerEvents", reconnected)
    expect(eventsFrom(reconnected)).toEqual(["1/0 ActorStateRunning", "1/1 ActorStateStopped"])
    await roundTrip(1n)
    expect(gateway.tunnelFrom(kept.request, reconnected)).toEqual([])
    expect(gateway.tunnelFrom(plain.request, reconnected).map((m) => m.messageKind)).toEqual([
      {
        tag: "ToServerWebSocketClose",
        val: {
          code: RunnerClose.actorStopped.code,
          reason: RunnerClose.actorStopped.reason,
          hibernate: false,
        },
      },
    ])
  })

  it("a reconnect within the threshold cancels it: the actor keeps running and unacknowledged events are resent", async () => {
    await connect(RUNNER_ID)
    await startActor(1)
    const reconnected = await dropAndReconnect()
    expect(clock.pending).toBe(1)
    clock.advance(THRESHOLD_MS - 1)
    accept(RUNNER_ID)
    await gateway.next("ToServerEvents", reconnected)
    expect(eventsFrom(reconnected)).toEqual(["1/0 ActorStateRunning"])
    expect(clock.pending).toBe(0)
    clock.advance(10 * THRESHOLD_MS)
    const request = gateway.newRequest()
    gateway.tunnel(request, {
      tag: "ToClientRequestStart",
      val: {
        actorId: ACTOR_ID,
        method: "GET",
        path: "/still-here",
        headers: new Map(),
        body: null,
        stream: false,
      },
    })
    const [response] = await gateway.waitFor(() => {
      const messages = gateway.tunnelFrom(request)
      return messages.length > 0 && messages
    })
    if (response?.messageKind.tag !== "ToServerResponseStart") throw new Error("no response")
    expect(response.messageKind.val.status).toBe(200)
    expect(text(response.messageKind.val.body as ArrayBuffer)).toBe("served /still-here")
    expect(journal).toEqual(["start:1"])
  })

  it("a ToClientInit under another runner id force-stops every actor before anything else; the runner goes on as a fresh one", async () => {
    await connect(RUNNER_ID)
    await startActor(1)
    const refused = failureOf(runner.kv(ACTOR_ID).put([[new Uint8Array([1]), new Uint8Array([2])]]))
    await gateway.next("ToServerKvRequest")
    const reconnected = await dropAndReconnect()
    accept(NEW_RUNNER_ID)
    await vi.waitFor(() => expect(journal).toEqual(["start:1", "stop:1:runnerReplaced:forced"]))
    expect(await refused).toMatchObject({
      name: "RunnerLostError",
      reason: "runnerReplaced",
    })
    expect(runner.runnerId).toBe(NEW_RUNNER_ID)
    await roundTrip(2n)
    // Nothing of the old runner reaches the new one: no event (not even the stop), no KV request.
    expect(
      gateway.received
        .slice(reconnected + 1)
        .filter((message) => message.tag !== "ToServerPong")
        .map((message) => message.tag),
    ).toEqual([])
    // Fresh: the gateway's commands count from 0 again, and are not taken for duplicates.
    const since = gateway.received.length
    await startActor(1)
    expect(journal).toEqual(["start:1", "stop:1:runnerReplaced:forced", "start:1"])
    expect(eventsFrom(since)).toEqual(["1/0 ActorStateRunning"])
    const ack = await gateway.next("ToServerAckCommands", since)
    expect(ack.val.lastCommandCheckpoints).toEqual([
      { actorId: ACTOR_ID, generation: 1, index: 0n },
    ] satisfies rivet.ActorCheckpoint[])
    // The lost timer of the first connection was cancelled by the init, whatever its runner id.
    expect(clock.pending).toBe(0)
  })

  it("starts no timer when the engine evicts the runner: it shuts down instead (§8)", async () => {
    await connect(RUNNER_ID)
    await startActor(1)
    gateway.closeWith(1000, "ws.eviction#ray1")
    await vi.waitFor(() => expect(journal).toEqual(["start:1", "stop:1:shutdown:forced"]))
    expect(clock.delays).toEqual([])
  })
})

describe.each(versions)("runner lost over v%i, against the fake gateway", (version) => {
  let gateway: FakeGateway
  let clock: ManualClock
  let journal: string[]
  let runner: Runner
  /** While set, stop hooks wait for it. */
  let stopGate: Promise<void> | null

  beforeEach(async () => {
    gateway = await FakeGateway.start({ ackEvents: false })
    clock = new ManualClock()
    journal = []
    stopGate = null
    runner = testRunner(gateway, version, {
      scheduleRunnerLost: clock.schedule,
      handlers: {
        onActorStart: (_actorId, generation) => {
          journal.push(`start:${generation}`)
        },
        onActorStop: async (_actorId, generation, info) => {
          journal.push(stopLine(generation, info))
          await stopGate
        },
      },
    }).runner
    await runner.start()
  })

  afterEach(async () => {
    await runner.shutdown()
    await gateway.close()
  })

  /** Events from frame `since` on, as `<index> <actor>/<generation> <state>` (the v3 model). */
  function statesFrom(since: number): string[] {
    return gateway.frames
      .slice(since)
      .flatMap(({ direction, message }) =>
        direction === "in" && message.tag === "ToServerEvents"
          ? message.val.flatMap(({ index, inner }) =>
              inner.tag === "EventActorStateUpdate"
                ? [`${index} ${inner.val.actorId}/${inner.val.generation} ${inner.val.state.tag}`]
                : [],
            )
          : [],
      )
  }

  it("force-stops the actors and refuses pending KV once the threshold passes unaccepted", async () => {
    await gateway.startActor(ACTOR_ID, { generation: 4 })
    gateway.kvSilent = true
    const refused = failureOf(runner.kv(ACTOR_ID).listAll())
    await gateway.nextFrom(0, (message) => message.tag === "ToServerKvRequest")
    gateway.answerInit = false
    gateway.drop()
    await gateway.waitForConnection(2)
    expect(clock.delays).toEqual([10_000])
    clock.advance(10_000)
    expect(await refused).toBeInstanceOf(RunnerLostError)
    await vi.waitFor(() => expect(journal).toEqual(["start:4", "stop:4:runnerLost:forced"]))
  })

  it("starts no timer when the gateway's threshold is 0 (as Rivet's runner)", async () => {
    gateway.runnerLostThreshold = 0n
    gateway.drop()
    await gateway.waitForReady(2)
    await gateway.startActor(ACTOR_ID, { generation: 4 })
    gateway.answerInit = false
    gateway.drop()
    await gateway.waitForConnection(3)
    // Only the first drop, while the threshold was still 10 s, started one (cancelled since).
    expect(clock.delays).toEqual([10_000])
    expect(clock.pending).toBe(0)
    expect(journal).toEqual(["start:4"])
  })

  it("keeps the actors when accepted again in time, resending the unacknowledged events", async () => {
    await gateway.startActor(ACTOR_ID, { generation: 4 })
    const since = gateway.frames.length
    gateway.drop()
    await gateway.waitForReady(2)
    await gateway.nextFrom(since, (message) => message.tag === "ToServerEvents")
    expect(statesFrom(since)).toEqual([`0 ${ACTOR_ID}/4 ActorStateRunning`])
    expect(clock.pending).toBe(0)
    clock.advance(60_000)
    await settle()
    expect(journal).toEqual(["start:4"])
    await gateway.stopActor(ACTOR_ID, 4)
    expect(journal).toEqual(["start:4", "stop:4:gateway:asked"])
  })

  it("force-stops the actors of the old runner when accepted under another runner id, then serves as a fresh one", async () => {
    await gateway.startActor(ACTOR_ID, { generation: 4 })
    gateway.forgetRunner("another-runner")
    const since = gateway.frames.length
    gateway.drop()
    await gateway.waitForReady(2)
    await vi.waitFor(() => expect(journal).toEqual(["start:4", "stop:4:runnerReplaced:forced"]))
    expect(runner.runnerId).toBe("another-runner")
    // The restarted gateway counts commands from 0: the runner takes them as new.
    await gateway.startActor(ACTOR_ID, { generation: 0 })
    expect(journal).toEqual(["start:4", "stop:4:runnerReplaced:forced", "start:0"])
    expect(statesFrom(since)).toEqual([`0 ${ACTOR_ID}/0 ActorStateRunning`])
  })

  it("starts the same actor generation for the new runner id only once the old one's forced stop finished", async () => {
    await gateway.startActor(ACTOR_ID, { generation: 4 })
    const release = deferred()
    stopGate = release.promise
    gateway.forgetRunner("another-runner")
    gateway.drop()
    await gateway.waitForReady(2)
    await vi.waitFor(() => expect(journal).toEqual(["start:4", "stop:4:runnerReplaced:forced"]))
    const since = gateway.frames.length
    const started = gateway.startActor(ACTOR_ID, { generation: 4 })
    await settle()
    expect(journal).toEqual(["start:4", "stop:4:runnerReplaced:forced"])
    release.resolve()
    await started
    expect(journal).toEqual(["start:4", "stop:4:runnerReplaced:forced", "start:4"])
    expect(statesFrom(since)).toEqual([`0 ${ACTOR_ID}/4 ActorStateRunning`])
  })
})
