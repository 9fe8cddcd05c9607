// Issue #12 point 1 with Rivet's published runners: a serverless endpoint starts the runner, the
// gateway ties it to the request by its init packet, drains it and closes it with the engine's
// eviction; and an explicit close through the admin API. What the runners do on that close is
// `shutdown(true)` without a reconnect (node_modules/rivet-runner-v7/src/mod.ts:936-951;
// node_modules/rivet-runner-v5/src/mod.ts:907-968).
import { type Gateway, startGateway, type TapEvent } from "@tunnelwire/gateway-mock"
import {
  decodeToClient,
  encodeToServerlessServerFrame,
  RunnerConnectionClose,
  withoutRayId,
} from "@tunnelwire/protocol"
import { afterEach, describe, expect, it } from "vitest"
import { Client, eventually } from "./support/client.js"
import { PUBLISHED_RUNNERS, RivetApp } from "./support/rivet-runner.js"
import { RivetServerlessEndpoint } from "./support/serverless-endpoint.js"

const TOKEN = "interop-token"
const GRACE_MS = 500
/** Rivet's runners wait 1000 ms × 2^attempt (with jitter) before reconnecting (§5): one would show. */
const RECONNECT_WINDOW_MS = 2_000

type FrameEvent = Extract<TapEvent, { type: "frame" }>
type RunnerEvent = Extract<TapEvent, { type: "runner" }>

let gateway: Gateway | undefined
let endpoint: RivetServerlessEndpoint | undefined
let app: RivetApp | undefined
const clients: Client[] = []
let events: TapEvent[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate()
  await app?.shutdown().catch(() => {})
  await endpoint?.close()
  await gateway?.stop()
  app = undefined
  endpoint = undefined
  gateway = undefined
  events = []
})

async function tappedGateway(options: Parameters<typeof startGateway>[0]): Promise<Gateway> {
  gateway = await startGateway({ token: TOKEN, ...options })
  gateway.tap.subscribe((event) => events.push(event))
  return gateway
}

const admin = (path: string, method = "GET") =>
  fetch(`${gateway!.url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } })

const runnerEvents = (event: RunnerEvent["event"]) =>
  events.flatMap((e) => (e.type === "runner" && e.event === event ? [e] : []))

const frame = (kind: string, direction: FrameEvent["direction"]) =>
  events.findIndex((e) => e.type === "frame" && e.kind === kind && e.direction === direction)

/** The engine's eviction close reason with a ray id: `<reason>#<hex>`. */
function expectEngineEviction(reason: string | null): void {
  if (reason === null) throw new Error("no close reason")
  expect(withoutRayId(reason)).toBe(RunnerConnectionClose.engineEviction.reason)
  expect(reason.slice(withoutRayId(reason).length)).toMatch(/^#[0-9a-f]+$/)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(PUBLISHED_RUNNERS)("Rivet's runner $release (v$protocolVersion)", (published) => {
  it("serverless: started through /start, tied by its init packet, drained, evicted, not back", async () => {
    endpoint = await RivetServerlessEndpoint.start(published)
    const gw = await tappedGateway({
      serverless: [{ runnerName: "rivet-sls", url: endpoint.url, drainGracePeriodMs: GRACE_MS }],
    })
    const actorId = gw.createActor({ name: "sls", key: "k", runnerName: "rivet-sls" }).actorId
    const response = await fetch(`${gw.url}/gateway/${actorId}/hello`, {
      method: "POST",
      body: "x",
    })
    expect(response.status).toBe(201)
    expect(await response.text()).toBe("POST /hello x")

    const [call] = endpoint.calls
    const [request] = gw.serverlessRequests()
    const [runner] = gw.runners()
    expect(request).toMatchObject({
      state: "running",
      runnerId: runner!.runnerId,
      runnerProtocolVersion: published.protocolVersion,
    })
    // The runner's own packet is byte for byte what our codec writes for that runner and version.
    const ours = encodeToServerlessServerFrame(
      {
        tag: "ToServerlessServerInit",
        val: { runnerId: runner!.runnerId, runnerProtocolVersion: published.protocolVersion },
      },
      { version: published.protocolVersion },
    )
    expect(call!.packet).toBe(Buffer.from(ours).toString("base64"))
    // v7 is told the grace period; v5 has no such field.
    const init = events.find(
      (e): e is FrameEvent => e.type === "frame" && e.kind === "ToClientInit",
    )!
    const told = decodeToClient(Buffer.from(init.wire, "base64"), {
      version: published.protocolVersion,
    })
    if (told.tag !== "ToClientInit") throw new Error("not an init")
    expect(told.val.metadata.serverlessDrainGracePeriod).toBe(
      published.protocolVersion >= 6 ? BigInt(GRACE_MS) : null,
    )

    const client = new Client(gw.url, actorId, "/hws")
    clients.push(client)
    await client.opened()
    client.ws.send("a")
    await client.until(() => client.messages.length === 1, "an echo")

    const drained = gw.drainServerless(request!.requestId)
    await eventually(() => runnerEvents("disconnected").length === 1, "the runner closed")
    const [gone] = runnerEvents("disconnected")
    const closedAt = events.indexOf(gone!)
    // Stop command, the runner's stopped event, then (a grace period later) the eviction.
    const stop = frame("CommandStopActor", "toRunner")
    const stopped = events.findIndex(
      (e) =>
        e.type === "frame" &&
        e.kind === "EventActorStateUpdate" &&
        e.direction === "fromRunner" &&
        e.text.includes("Stopped"),
    )
    expect(stop).toBeGreaterThan(-1)
    expect(stopped).toBeGreaterThan(stop)
    expect(closedAt).toBeGreaterThan(stopped)
    expect(call!.app.stopped).toEqual([actorId])
    expect(gone!.time - drained.drainStartedAt!).toBeGreaterThanOrEqual(GRACE_MS - 1)
    expect(gone!.code).toBe(1000)
    expectEngineEviction(gone!.reason)
    await eventually(() => call!.app.shutdownCalled, "the runner's onShutdown")
    expect(call!.app.disconnects).toEqual([{ code: 1000, reason: gone!.reason }])
    await eventually(() => call!.endedAt !== null, "the SSE request ended")

    await sleep(RECONNECT_WINDOW_MS)
    expect(runnerEvents("connected")).toHaveLength(1)

    // The hibernatable socket stayed open; the next message wakes the actor on a new runner,
    // which restores it from the metadata the first app saved.
    expect(client.closed).toBeNull()
    client.ws.send("b")
    await client.until(() => client.messages.length === 2, "the echo after the wake")
    expect(client.messages).toEqual(["a", "b"])
    expect(endpoint.calls).toHaveLength(2)
    expect(endpoint.calls[1]!.app.started.map((s) => s.actorId)).toEqual([actorId])
    expect(
      events.filter((e) => e.type === "frame" && e.kind === "ToClientWebSocketOpen"),
    ).toHaveLength(1)
  })

  it("an explicit close through the admin API: evicted, shuts down, does not reconnect", async () => {
    const gw = await tappedGateway({})
    app = new RivetApp()
    await app.start(published, { endpoint: gw.url, token: TOKEN })
    const actorId = gw.createActor({ name: "closed", key: "k" }).actorId
    expect((await fetch(`${gw.url}/gateway/${actorId}/warm`)).status).toBe(201)
    const [runner] = gw.runners()

    const closed = await admin(`/runners/${runner!.runnerId}/close`, "POST")
    expect(closed.status).toBe(202)
    await eventually(() => app!.shutdownCalled, "the runner's onShutdown")
    const [gone] = runnerEvents("disconnected")
    expect(gone).toMatchObject({ code: 1000 })
    expectEngineEviction(gone!.reason)
    expect(app.disconnects).toEqual([{ code: 1000, reason: gone!.reason }])
    expect(gw.getActor(actorId)?.state).toBe("stopped")

    await sleep(RECONNECT_WINDOW_MS)
    expect(runnerEvents("connected")).toHaveLength(1)
    expect(gw.runners()).toEqual([])
  })
})
