import { GatewayClose, LATEST_VERSION } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { WebSocket } from "ws"
import type { ActorInfo, TapEvent } from "../src/index.js"
import { eventually } from "./support/client.js"
import { useGateway } from "./support/fixture.js"

const TOKEN = "admin-token"
const fixture = useGateway({ token: TOKEN, maxBufferedBodyBytes: 1024 })

function admin(path: string, init: RequestInit = {}) {
  return fetch(`${fixture().gateway.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
  })
}

describe("tunneled HTTP", () => {
  it("streams a request body of unknown length to the actor in chunks", async () => {
    const f = fixture()
    await f.runner({ version: LATEST_VERSION, token: TOKEN })
    const actor = f.gateway.createActor({ name: "echo" })
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of ["a", "b", "c"]) controller.enqueue(new TextEncoder().encode(part))
        controller.close()
      },
    })
    const response = await fetch(`${f.gateway.url}/gateway/${actor.actorId}/up`, {
      method: "PUT",
      body,
      duplex: "half",
    } as RequestInit)
    expect(await response.text()).toBe("PUT /up streamed abc")
  })

  it("streams a body larger than the buffered limit", async () => {
    const f = fixture()
    const runner = await f.runner({ version: LATEST_VERSION, token: TOKEN })
    const actor = f.gateway.createActor({ name: "echo" })
    const big = "x".repeat(5000)
    const response = await fetch(`${f.gateway.url}/gateway/${actor.actorId}/big`, {
      method: "POST",
      body: big,
    })
    expect(await response.text()).toBe(`POST /big streamed ${big}`)
    expect(runner.tunnelKinds("ToClientRequestChunk").length).toBeGreaterThan(0)
  })

  it("relays a streamed response chunk by chunk, with the actor's status and headers", async () => {
    const f = fixture()
    await f.runner({
      version: LATEST_VERSION,
      token: TOKEN,
      http: () => ({
        status: 207,
        headers: { "x-actor": "yes" },
        chunks: ["one ", "two ", "three"],
      }),
    })
    const actor = f.gateway.createActor({ name: "stream" })
    const response = await fetch(`${f.gateway.url}/gateway/${actor.actorId}/`)
    expect(response.status).toBe(207)
    expect(response.headers.get("x-actor")).toBe("yes")
    expect(await response.text()).toBe("one two three")
  })

  it("answers 404 for an unknown actor", async () => {
    const response = await fetch(`${fixture().gateway.url}/gateway/nope/x`)
    expect(response.status).toBe(404)
  })
})

describe("the admin API", () => {
  it("requires the token", async () => {
    const response = await fetch(`${fixture().gateway.url}/actors`)
    expect(response.status).toBe(401)
  })

  it("creates, lists, sleeps, wakes and destroys actors by name and key", async () => {
    const f = fixture()
    const runner = await f.runner({ version: LATEST_VERSION, token: TOKEN })
    const created = await admin("/actors", {
      method: "POST",
      body: JSON.stringify({
        name: "room",
        key: "lobby",
        input: Buffer.from("hi").toString("base64"),
      }),
    })
    expect(created.status).toBe(201)
    const { actor } = (await created.json()) as { actor: ActorInfo }
    expect(actor).toMatchObject({ name: "room", key: "lobby", state: "stopped", generation: 0 })
    const duplicate = await admin("/actors", {
      method: "POST",
      body: JSON.stringify({ name: "room", key: "lobby" }),
    })
    expect(duplicate.status).toBe(409)

    const listed = (await (await admin("/actors?name=room&key=lobby")).json()) as {
      actors: ActorInfo[]
    }
    expect(listed.actors.map((a) => a.actorId)).toEqual([actor.actorId])

    expect((await admin(`/actors/${actor.actorId}/wake`, { method: "POST" })).status).toBe(202)
    await runner.until(() => runner.running.has(actor.actorId))
    const start = runner.received.find((m) => m.tag === "ToClientCommands")
    expect(
      start?.tag === "ToClientCommands" &&
        start.val[0]?.inner.tag === "CommandStartActor" &&
        Buffer.from(start.val[0].inner.val.config.input!).toString(),
    ).toBe("hi")

    await admin(`/actors/${actor.actorId}/sleep`, { method: "POST" })
    await runner.until(() => !runner.running.has(actor.actorId))
    const slept = (await (await admin(`/actors/${actor.actorId}`)).json()) as { actor: ActorInfo }
    expect(slept.actor).toMatchObject({ state: "stopped", rest: "sleeping", generation: 1 })

    const destroyed = await admin("/actors?name=room&key=lobby", { method: "DELETE" })
    expect(((await destroyed.json()) as { destroyed: ActorInfo[] }).destroyed).toHaveLength(1)
    expect((await admin(`/actors/${actor.actorId}`)).status).toBe(404)
  })

  it("lists runners with their protocol versions", async () => {
    const f = fixture()
    const runner = await f.runner({ version: 2, token: TOKEN, name: "old" })
    const body = (await (await admin("/runners")).json()) as { runners: unknown[] }
    expect(body.runners).toEqual([
      expect.objectContaining({
        runnerId: runner.runnerId,
        name: "old",
        version: 2,
        state: "ready",
      }),
    ])
  })
})

describe("the tap endpoint", () => {
  it("streams every frame as JSON with direction, runner, version, request id and time", async () => {
    const f = fixture()
    const tap = new WebSocket(`${f.gateway.url.replace("http", "ws")}/tap?token=${TOKEN}`)
    const seen: TapEvent[] = []
    tap.on("message", (data: Buffer) => seen.push(JSON.parse(data.toString()) as TapEvent))
    await new Promise((resolve) => tap.once("open", resolve))
    await f.runner({ version: 2, token: TOKEN })
    const actor = f.gateway.createActor({ name: "echo" })
    await (await fetch(`${f.gateway.url}/gateway/${actor.actorId}/t`)).text()
    await new Promise((resolve) => setTimeout(resolve, 50))
    tap.close()
    const start = seen.find((e) => e.type === "frame" && e.kind === "ToClientRequestStart")
    expect(start).toMatchObject({
      type: "frame",
      direction: "toRunner",
      version: 2,
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      text: expect.stringContaining('method: "GET", path: "/t"'),
      time: expect.any(Number),
      seq: expect.any(Number),
    })
    expect(seen.map((e) => e.type)).toEqual(
      expect.arrayContaining(["runner", "actor", "frame", "request"]),
    )
  })

  it("refuses a subscriber without the token", async () => {
    const tap = new WebSocket(`${fixture().gateway.url.replace("http", "ws")}/tap`)
    const status = await new Promise((resolve) =>
      tap.once("unexpected-response", (_req, res) => resolve(res.statusCode)),
    )
    expect(status).toBe(401)
  })
})

describe("tap events name what they concern", () => {
  it("frames carry the actor; a socket's close carries the runner that served it", async () => {
    const f = fixture()
    const runner = await f.runner({ version: 3, token: TOKEN })
    const actor = f.gateway.createActor({ name: "echo" })
    const client = f.client(actor.actorId)
    await client.opened
    client.send("hi")
    await client.until(() => client.messages.length === 1)
    client.ws.close(1000, "done")
    await runner.until(() => runner.tunnelKinds("ToClientWebSocketClose").length === 1)
    const frames = f.tapped("frame")
    const kinds = [
      "CommandStartActor",
      "EventActorStateUpdate",
      "ToClientWebSocketOpen",
      "ToServerWebSocketMessage",
    ]
    for (const kind of kinds) {
      expect(frames.find((e) => e.kind === kind)?.actorId).toBe(actor.actorId)
    }
    expect(f.tapped("socket").find((e) => e.event === "close")).toMatchObject({
      runnerId: runner.runnerId,
      code: 1000,
      reason: "done",
    })
  })
})

describe("actor lifecycle", () => {
  it("an alarm set by the actor wakes it after it went to sleep", async () => {
    const f = fixture()
    const runner = await f.runner({ version: LATEST_VERSION, token: TOKEN })
    const actor = f.gateway.createActor({ name: "alarmed" })
    f.gateway.wakeActor(actor.actorId)
    await runner.until(() => runner.running.has(actor.actorId))
    runner.sendEvent({
      tag: "EventActorSetAlarm",
      val: { actorId: actor.actorId, generation: 1, alarmTs: BigInt(Date.now() + 200) },
    })
    runner.sleep(actor.actorId)
    await runner.until(() => !runner.running.has(actor.actorId))
    await eventually(() => f.gateway.getActor(actor.actorId)?.state === "running")
    expect(f.gateway.getActor(actor.actorId)?.generation).toBe(2)
  })

  it("destroying an actor closes its sockets, hibernating ones included", async () => {
    const f = fixture()
    const runner = await f.runner({ version: LATEST_VERSION, token: TOKEN })
    const actor = f.gateway.createActor({ name: "doomed" })
    const [awake, asleep] = [f.client(actor.actorId), f.client(actor.actorId)]
    await Promise.all([awake.opened, asleep.opened])
    await eventually(() => f.tapped("socket").filter((e) => e.event === "open").length === 2)
    f.gateway.sleepActor(actor.actorId)
    await runner.until(() => !runner.running.has(actor.actorId))
    expect(f.gateway.getActor(actor.actorId)?.hibernatingSockets).toBe(2)
    const response = await admin(`/actors/${actor.actorId}`, { method: "DELETE" })
    expect(response.status).toBe(200)
    const expected = {
      code: GatewayClose.downstreamClosed.code,
      reason: GatewayClose.downstreamClosed.reason,
    }
    expect(await awake.closedPromise).toEqual(expected)
    expect(await asleep.closedPromise).toEqual(expected)
    expect(f.gateway.getActor(actor.actorId)).toBeUndefined()
  })
})
