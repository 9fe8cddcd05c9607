// Issue #12 point 1: serverless runners (the gateway starts them through an endpoint's `/start`,
// drains them when their request's lifespan is over) and the explicit close of a runner
// (the engine's `ToRunnerClose`), per protocol family, with runners built on the SDK.
import {
  decodeToClient,
  isSecondFamily,
  RunnerConnectionClose,
  withoutRayId,
} from "@tunnelwire/protocol"
import type { Logger } from "@tunnelwire/runner"
import { afterEach, describe, expect, it } from "vitest"
import { type Gateway, startGateway, type TapEvent } from "../src/index.js"
import { eventually, gatewaySocketUrl, TestClient } from "./support/client.js"
import { echoRunner } from "./support/echo-runner.js"
import { ServerlessEndpoint } from "./support/serverless-endpoint.js"

const GRACE_MS = 300
/** Longer than the echo runner's largest reconnect delay (200 ms): a reconnect would show. */
const RECONNECT_WINDOW_MS = 600

let gateway: Gateway | undefined
let endpoint: ServerlessEndpoint | undefined
const clients: TestClient[] = []
const events: TapEvent[] = []
const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate()
  for (const cleanup of cleanups.splice(0)) await cleanup()
  await endpoint?.close()
  await gateway?.stop()
  endpoint = undefined
  gateway = undefined
  events.length = 0
})

async function serverlessGateway(version: number): Promise<Gateway> {
  endpoint = await ServerlessEndpoint.start(version)
  gateway = await startGateway({
    serverless: [
      {
        runnerName: "sls",
        url: `${endpoint.url}/`,
        drainGracePeriodMs: GRACE_MS,
        requestLifespanMs: 600_000,
      },
    ],
  })
  gateway.tap.subscribe((event) => events.push(event))
  return gateway
}

function client(actorId: string, path: string): TestClient {
  const opened = new TestClient(gatewaySocketUrl(gateway!.url, actorId, path))
  clients.push(opened)
  return opened
}

const frames = (kind: string, direction: "toRunner" | "fromRunner") =>
  events.flatMap((event) =>
    event.type === "frame" && event.kind === kind && event.direction === direction ? [event] : [],
  )

const runnerEvents = (event: "connected" | "disconnected") =>
  events.flatMap((e) => (e.type === "runner" && e.event === event ? [e] : []))

/** The engine's eviction close reason with a ray id: `<reason>#<hex>`. */
function expectEngineEviction(reason: string | null): void {
  if (reason === null) throw new Error("no close reason")
  expect(withoutRayId(reason)).toBe(RunnerConnectionClose.engineEviction.reason)
  expect(reason.slice(withoutRayId(reason).length)).toMatch(/^#[0-9a-f]+$/)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each([3, 4, 5, 6, 7])("a serverless runner on the SDK at v%i", (version) => {
  it("is started through /start, named by its init event, serves, and is drained then closed in its family", async () => {
    const gw = await serverlessGateway(version)
    const actor = gw.createActor({ name: "echo", runnerName: "sls" })

    // No runner is connected: the request makes the gateway ask the endpoint for one.
    const response = await fetch(`${gw.url}/gateway/${actor.actorId}/hello`, {
      method: "POST",
      body: "hi",
    })
    expect(await response.text()).toBe("POST /hello hi")
    const [call] = endpoint!.calls
    // The headers Rivet's engine sends (PB/workflows/serverless/conn.rs:255-296), on a GET.
    expect(call!.method).toBe("GET")
    expect(call!.headers).toMatchObject({
      "x-rivet-endpoint": gw.url,
      "x-rivet-total-slots": "100",
      "x-rivet-runner-name": "sls",
      "x-rivet-namespace-name": "default",
    })
    const [runner] = gw.runners()
    const [request] = gw.serverlessRequests()
    expect(request).toMatchObject({
      state: "running",
      runnerId: runner!.runnerId,
      // A v1–v3 init packet names no version: the engine counts it as 3.
      runnerProtocolVersion: isSecondFamily(version) ? version : 3,
      error: null,
    })
    expect(runner!.serverlessRequestId).toBe(request!.requestId)

    // The drain grace period is told to v6+ runners only (v4 and v5 have no such field).
    const [init] = frames("ToClientInit", "toRunner")
    const told = decodeToClient(Buffer.from(init!.wire, "base64"), { version })
    if (told.tag !== "ToClientInit") throw new Error("not an init")
    expect(told.val.metadata.serverlessDrainGracePeriod).toBe(
      version >= 6 ? BigInt(GRACE_MS) : null,
    )
    expect(init!.text.includes("serverlessDrainGracePeriod")).toBe(version >= 6)

    const socket = client(actor.actorId, "/chat")
    await socket.opened
    socket.send("before")
    await socket.until(() => socket.messages.length === 1)

    const drained = gw.drainServerless(request!.requestId)
    await eventually(() => runnerEvents("disconnected").length === 1, 10_000)
    const [gone] = runnerEvents("disconnected")

    // The actor is stopped first, while the runner is still connected ...
    const stop = events.findIndex(
      (e) => e.type === "frame" && e.direction === "toRunner" && e.kind === "CommandStopActor",
    )
    const stopped = events.findIndex(
      (e) => e.type === "actor" && e.event === "stopped" && e.actorId === actor.actorId,
    )
    expect(stop).toBeGreaterThan(-1)
    expect(stopped).toBeGreaterThan(stop)
    expect(events.indexOf(gone!)).toBeGreaterThan(stopped)
    // ... and the runner is closed only once the grace period is over. Node's timers never fire
    // early by their own clock; Date.now() may differ from it by under a millisecond.
    expect(gone!.time - drained.drainStartedAt!).toBeGreaterThanOrEqual(GRACE_MS - 1)
    if (isSecondFamily(version)) {
      expect(gone).toMatchObject({ code: 1000 })
      expectEngineEviction(gone!.reason)
      expect(frames("ToClientClose", "toRunner")).toEqual([])
    } else {
      // v1–v3: the close message first, then the close.
      const farewells = frames("ToClientClose", "toRunner")
      expect(farewells).toHaveLength(1)
      expect(events.indexOf(farewells[0]!)).toBeLessThan(events.indexOf(gone!))
      expect(gone).toMatchObject({ code: 1000, reason: RunnerConnectionClose.evicted.reason })
    }
    // Then the SSE request is ended.
    await eventually(() => call!.endedAt !== null)
    expect(call!.endedAt!).toBeGreaterThanOrEqual(gone!.time)
    expect(gw.serverlessRequests().find((r) => r.requestId === request!.requestId)?.state).toBe(
      "ended",
    )

    // The runner does not come back.
    await sleep(RECONNECT_WINDOW_MS)
    expect(runnerEvents("connected")).toHaveLength(1)

    // The hibernatable socket stayed open and wakes the actor on the next serverless runner.
    expect(socket.closed).toBeNull()
    expect(gw.getActor(actor.actorId)?.hibernatingSockets).toBe(1)
    socket.send("after")
    await socket.until(() => socket.messages.length === 2)
    expect(socket.messages).toEqual(["before", "after"])
    expect(endpoint!.calls).toHaveLength(2)
    const [next] = gw.runners()
    expect(next!.runnerId).not.toBe(runner!.runnerId)
    expect(next!.actorIds).toEqual([actor.actorId])
  })
})

describe("a serverless request's lifespan", () => {
  it("ends on its own: the drain starts a grace period before the end, and the runner is closed at it", async () => {
    endpoint = await ServerlessEndpoint.start(7)
    gateway = await startGateway({
      serverless: [
        { runnerName: "sls", url: endpoint.url, requestLifespanMs: 1_500, drainGracePeriodMs: 500 },
      ],
    })
    gateway.tap.subscribe((event) => events.push(event))
    const actor = gateway.createActor({ name: "echo", runnerName: "sls" })
    const response = await fetch(`${gateway.url}/gateway/${actor.actorId}/`)
    expect(response.status).toBe(200)
    await eventually(() => runnerEvents("disconnected").length === 1, 10_000)
    const [request] = gateway.serverlessRequests()
    const [gone] = runnerEvents("disconnected")
    expect(request!.state).toBe("ended")
    expectEngineEviction(gone!.reason)
    // Lower bounds only, which timers guarantee: drain at lifespan − grace, close a grace later.
    expect(request!.drainStartedAt! - request!.startedAt).toBeGreaterThanOrEqual(1_000 - 1)
    expect(gone!.time - request!.drainStartedAt!).toBeGreaterThanOrEqual(500 - 1)
    expect(frames("CommandStopActor", "toRunner")).toHaveLength(1)
  })
})

describe("a drain whose endpoint drops the request", () => {
  it("still closes the runner once the grace period is over, and reports the broken stream", async () => {
    const gw = await serverlessGateway(7)
    const actor = gw.createActor({ name: "echo", runnerName: "sls" })
    expect((await fetch(`${gw.url}/gateway/${actor.actorId}/`)).status).toBe(200)
    const [request] = gw.serverlessRequests()
    const drained = gw.drainServerless(request!.requestId)
    endpoint!.calls[0]!.drop()
    await eventually(() => runnerEvents("disconnected").length === 1, 10_000)
    const [gone] = runnerEvents("disconnected")
    expectEngineEviction(gone!.reason)
    expect(gone!.time - drained.drainStartedAt!).toBeGreaterThanOrEqual(GRACE_MS - 1)
    const [ended] = gw.serverlessRequests()
    expect(ended).toMatchObject({ state: "ended", error: { kind: "connection" } })
  })
})

describe.each([1, 2, 3, 4, 5, 6, 7])(
  "an explicit close of a runner on the SDK at v%i",
  (version) => {
    it("sends it away in its family's way; it does not reconnect and its actors start elsewhere", async () => {
      gateway = await startGateway()
      gateway.tap.subscribe((event) => events.push(event))
      // Longer than the test may take: a shutdown waiting on stops that cannot come would show.
      const said: string[] = []
      const logger: Logger = {
        info: (_fields, message) => said.push(message ?? ""),
        warn: () => {},
        error: () => {},
        debug: () => {},
      }
      const first = echoRunner({
        endpoint: gateway.url,
        version,
        shutdownTimeoutMs: 120_000,
        logger,
      })
      cleanups.push(() => first.shutdown())
      await first.start()
      const actor = gateway.createActor({ name: "echo" })
      const response = await fetch(`${gateway.url}/gateway/${actor.actorId}/one`)
      expect(await response.text()).toBe("GET /one ")

      const closed = await fetch(`${gateway.url}/runners/${first.runnerId}/close`, {
        method: "POST",
      })
      expect(closed.status).toBe(202)
      await eventually(() => runnerEvents("disconnected").length === 1)
      const [gone] = runnerEvents("disconnected")
      if (isSecondFamily(version)) {
        expect(gone).toMatchObject({ code: 1000 })
        expectEngineEviction(gone!.reason)
      } else {
        expect(frames("ToClientClose", "toRunner")).toHaveLength(1)
        expect(gone).toMatchObject({ code: 1000, reason: RunnerConnectionClose.evicted.reason })
      }
      // The runner shuts down on its own, without waiting for actor stops no one will send.
      await eventually(() => said.includes("runner shut down"), 15_000)
      // Its actors are gone at once (it is not coming back for them), not kept as a lost runner's.
      expect(gateway.getActor(actor.actorId)?.state).toBe("stopped")
      await sleep(RECONNECT_WINDOW_MS)
      expect(runnerEvents("connected")).toHaveLength(1)
      expect(gateway.runners()).toEqual([])

      const second = echoRunner({ endpoint: gateway.url, version })
      cleanups.push(() => second.shutdown())
      await second.start()
      const again = await fetch(`${gateway.url}/gateway/${actor.actorId}/two`)
      expect(await again.text()).toBe("GET /two ")
      expect(gateway.getActor(actor.actorId)?.runnerId).toBe(second.runnerId)
    })
  },
)

describe("the admin API for serverless runners and runner closes", () => {
  it("registers a config, starts and drains a request, and answers 404 for unknown ones", async () => {
    endpoint = await ServerlessEndpoint.start(7)
    gateway = await startGateway({ token: "admin" })
    const admin = (path: string, init: RequestInit = {}) =>
      fetch(`${gateway!.url}${path}`, {
        ...init,
        headers: { authorization: "Bearer admin", "content-type": "application/json" },
      })
    const bad = await admin("/serverless", {
      method: "POST",
      body: JSON.stringify({ runnerName: "sls", url: "ftp://nowhere" }),
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toContain("http or https")
    const registered = await admin("/serverless", {
      method: "POST",
      body: JSON.stringify({ runnerName: "sls", url: endpoint.url, drainGracePeriodMs: 0 }),
    })
    expect(registered.status).toBe(201)
    expect((await admin("/serverless/other/start", { method: "POST" })).status).toBe(404)
    const started = await admin("/serverless/sls/start", { method: "POST" })
    expect(started.status).toBe(202)
    const { request } = (await started.json()) as { request: { requestId: string } }
    await eventually(() => gateway!.serverlessRequests()[0]?.state === "running")
    // The token the runner needs travels to the endpoint.
    expect(endpoint.calls[0]!.headers["x-rivet-token"]).toBe("admin")

    const listed = (await (await admin("/serverless")).json()) as {
      configs: { runnerName: string; drainGracePeriodMs: number }[]
      requests: { requestId: string; state: string }[]
    }
    expect(listed.configs).toEqual([
      expect.objectContaining({ runnerName: "sls", drainGracePeriodMs: 0 }),
    ])
    expect(listed.requests).toEqual([
      expect.objectContaining({ requestId: request.requestId, state: "running" }),
    ])

    expect((await admin("/serverless/requests/nope/drain", { method: "POST" })).status).toBe(404)
    const drain = await admin(`/serverless/requests/${request.requestId}/drain`, { method: "POST" })
    expect(drain.status).toBe(202)
    await eventually(() => gateway!.serverlessRequests()[0]?.state === "ended")
    await eventually(() => gateway!.runners().length === 0)
    expect((await admin("/runners/nope/close", { method: "POST" })).status).toBe(404)
  })
})
