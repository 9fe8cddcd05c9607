// Rivet's published runners (@rivetkit/engine-runner 2.0.33 speaking v5, 2.2.1 speaking v7)
// against the gateway mock. Where a runner does something the tunnelwire runner would not, the test
// names it with its source line under node_modules/<alias>/src/ and asserts that the gateway copes.
import { type Gateway, startGateway, type TapEvent } from "@tunnelwire/gateway-mock"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { Client, eventually } from "./support/client.js"
import { PUBLISHED_RUNNERS, RivetApp } from "./support/rivet-runner.js"

const TOKEN = "interop-token"

type FrameEvent = Extract<TapEvent, { type: "frame" }>

describe.each(PUBLISHED_RUNNERS)("Rivet's runner $release (v$protocolVersion)", (published) => {
  let gateway: Gateway
  let app: RivetApp
  let frames: FrameEvent[]
  let faults: string[]

  beforeEach(async () => {
    gateway = await startGateway({ token: TOKEN })
    frames = []
    faults = []
    gateway.tap.subscribe((event) => {
      if (event.type === "frame") frames.push(event)
      if (event.type === "fault") faults.push(event.message)
    })
    app = new RivetApp()
    await app.start(published, { endpoint: gateway.url, token: TOKEN })
  })

  afterEach(async () => {
    await app.shutdown().catch(() => {})
    await gateway.stop()
  })

  /** Creates an actor through the admin API, as an operator would. */
  async function createActor(name: string): Promise<string> {
    const response = await fetch(`${gateway.url}/actors`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name, key: crypto.randomUUID() }),
    })
    expect(response.status).toBe(201)
    return ((await response.json()) as { actor: { actorId: string } }).actor.actorId
  }

  const framesOf = (requestId: string, kind: string, direction: FrameEvent["direction"]) =>
    frames.filter((f) => f.requestId === requestId && f.kind === kind && f.direction === direction)

  it("connects with its version and is listed by the admin API", async () => {
    const response = await fetch(`${gateway.url}/runners`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    const { runners } = (await response.json()) as { runners: { version: number; name: string }[] }
    expect(runners).toEqual([
      expect.objectContaining({
        version: published.protocolVersion,
        name: `rivet-${published.release}`,
      }),
    ])
    // The gateway pings and the runner answers (v4+), never the other way round.
    await eventually(
      () => frames.some((f) => f.direction === "fromRunner" && f.kind === "ToServerPong"),
      "a pong",
      10_000,
    )
    expect(frames.some((f) => f.kind === "ToClientPing" && f.direction === "toRunner")).toBe(true)
  })

  it("serves a tunneled WebSocket that echoes 100 messages in order", async () => {
    const actorId = await createActor("echo")
    const client = new Client(gateway.url, actorId, "/echo")
    await client.opened()
    const sent = Array.from({ length: 100 }, (_, i) => `message ${i}`)
    for (const text of sent) client.ws.send(text)
    await client.until(() => client.messages.length === 100, "100 echoes")
    expect(client.messages).toEqual(sent)
    expect(app.started.map((s) => s.actorId)).toEqual([actorId])
  })

  it("sees a client close 4000 'bye' once; the runner's answering close is dropped", async () => {
    const actorId = await createActor("bye")
    const client = new Client(gateway.url, actorId, "/bye")
    await client.opened()
    client.ws.send("hello")
    await client.until(() => client.messages.length === 1, "an echo")
    client.ws.close(4000, "bye")
    await eventually(() => app.closes.length === 1, "the app's close event")
    expect(app.closes).toEqual([{ path: "/bye", code: 4000, reason: "bye" }])
    const [socket] = frames.filter((f) => f.kind === "ToClientWebSocketOpen")
    const requestId = socket!.requestId!
    expect(framesOf(requestId, "ToClientWebSocketClose", "toRunner")).toHaveLength(1)
    // Every published runner answers a gateway's close with one of its own, same code and
    // reason: its adapter's close callback sends ToServerWebSocketClose
    // (node_modules/rivet-runner-v7/src/websocket-tunnel-adapter.ts:181-202 and src/tunnel.ts:358-373;
    // node_modules/rivet-runner-v5/src/websocket-tunnel-adapter.ts:227-233,320-336). It arrives for a
    // request the gateway has already ended, so it is shown by its 4-byte id, and dropped.
    const answers = () =>
      frames.filter((f) => f.kind === "ToServerWebSocketClose" && f.direction === "fromRunner")
    await eventually(() => answers().length === 1, "the runner's answering close")
    expect(answers()[0]!.text).toContain("4000")
    expect(answers()[0]!.text).toContain("bye")
    expect(faults.some((f) => f.includes("ToServerWebSocketClose for an unknown request"))).toBe(
      true,
    )
    expect(app.closes).toHaveLength(1)
  })

  it("closes with its own 1000 'done', which reaches the client with nothing echoed back", async () => {
    const actorId = await createActor("done")
    const client = new Client(gateway.url, actorId, "/done")
    await client.opened()
    client.ws.send("close-me")
    await client.until(() => client.closed !== null, "the client's close")
    expect(client.closed).toEqual({ code: 1000, reason: "done" })
    expect(client.messages).toEqual([])
    const [socket] = frames.filter((f) => f.kind === "ToClientWebSocketOpen")
    const requestId = socket!.requestId!
    expect(framesOf(requestId, "ToServerWebSocketClose", "fromRunner")).toHaveLength(1)
    // Give a wrongly echoed close the time to show.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(framesOf(requestId, "ToClientWebSocketClose", "toRunner")).toEqual([])
    expect(app.closes).toEqual([{ path: "/done", code: 1000, reason: "done" }])
  })

  it("serves a tunneled HTTP request: status, headers and body", async () => {
    const actorId = await createActor("http")
    const response = await fetch(`${gateway.url}/gateway/${actorId}/hello?x=1`, {
      method: "POST",
      body: "ping",
    })
    expect(response.status).toBe(201)
    expect(response.headers.get("x-rivet-app")).toBe("yes")
    expect(await response.text()).toBe("POST /hello ping")
  })

  it("keeps a hibernatable WebSocket open across a sleep and wakes on the next message", async () => {
    const actorId = await createActor("sleeper")
    const client = new Client(gateway.url, actorId, "/hws")
    await client.opened()
    for (const text of ["a", "b", "c"]) client.ws.send(text)
    await client.until(() => client.messages.length === 3, "three echoes")

    // The gateway's counter covers the open (index 0), so messages count from 1, which is what
    // a new socket expects (node_modules/rivet-runner-v7/src/tunnel.ts:982-994 creates it with
    // index 0; websocket-tunnel-adapter.ts:108-160 drops anything but last + 1).
    expect(app.messageIndexes).toEqual([1, 2, 3])

    gateway.sleepActor(actorId)
    await eventually(() => gateway.getActor(actorId)?.state === "stopped", "the actor asleep")
    expect(gateway.getActor(actorId)?.hibernatingSockets).toBe(1)
    // 2.2.1 reports a stop it did not ask for with StopCode ERROR
    // (node_modules/rivet-runner-v7/src/mod.ts:1256-1258; 2.0.33 always OK, src/mod.ts:1226).
    // The gateway asked for this one, so the actor sleeps rather than counting as crashed.
    const stopped = frames.filter(
      (f) => f.kind === "EventActorStateUpdate" && f.text.includes("Stopped"),
    )
    expect(stopped.at(-1)?.text).toContain(
      published.protocolVersion === 7 ? "code: Error" : "code: Ok",
    )
    expect(gateway.getActor(actorId)?.rest).toBe("sleeping")
    expect(client.closed).toBeNull()

    for (const text of ["d", "e"]) client.ws.send(text)
    await client.until(() => client.messages.length === 5, "the echoes after the wake")
    expect(client.messages).toEqual(["a", "b", "c", "d", "e"])
    // Restored from the metadata the app saved: the next index follows the last one received.
    expect(app.messageIndexes).toEqual([1, 2, 3, 4, 5])
    expect(app.started.map((s) => s.actorId)).toEqual([actorId, actorId])
    expect(app.started[1]!.generation).toBeGreaterThan(app.started[0]!.generation)
    // The socket was restored, not opened again: one open on the wire.
    expect(frames.filter((f) => f.kind === "ToClientWebSocketOpen")).toHaveLength(1)
    expect(client.closed).toBeNull()
  })

  it("shuts down cleanly: stopping, its actors stopped, then a normal close", async () => {
    const actorId = await createActor("draining")
    const response = await fetch(`${gateway.url}/gateway/${actorId}/warm`)
    expect(response.status).toBe(201)
    await app.shutdown()
    expect(app.shutdownCalled).toBe(true)
    expect(frames.some((f) => f.kind === "ToServerStopping")).toBe(true)
    expect(app.stopped).toEqual([actorId])
    await eventually(() => gateway.runners().length === 0, "the runner gone")
    expect(gateway.getActor(actorId)?.state).toBe("stopped")
  })
})
