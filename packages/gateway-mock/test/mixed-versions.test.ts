// One gateway, a v3 runner (the tunnelwire SDK pinned to v3) and a v7 runner (written frame by
// frame) side by side: each hosts an actor and serves WebSockets and HTTP at the same time, each in
// its own version, and each actor's socket survives a sleep.
import type { Runner } from "@tunnelwire/runner"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { type Gateway, startGateway, type TapEvent } from "../src/index.js"
import { gatewaySocketUrl, TestClient } from "./support/client.js"
import { echoRunner } from "./support/echo-runner.js"
import { SecondFamilyRunner } from "./support/raw-second-family-runner.js"

describe("v3 and v7 runners in one gateway", () => {
  let gateway: Gateway
  let v3: Runner
  let v7: SecondFamilyRunner
  let frames: Extract<TapEvent, { type: "frame" }>[]
  const clients: TestClient[] = []

  beforeEach(async () => {
    gateway = await startGateway()
    frames = []
    gateway.tap.subscribe((event) => {
      if (event.type === "frame") frames.push(event)
    })
    v3 = echoRunner({ endpoint: gateway.url, version: 3, runnerName: "third" })
    await v3.start()
    v7 = await new SecondFamilyRunner({
      url: gateway.url,
      version: 7,
      name: "seventh",
      canHibernate: true,
    }).start()
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate()
    v7.kill()
    await v3.shutdown()
    await gateway.stop()
  })

  const connect = (actorId: string) => {
    const client = new TestClient(gatewaySocketUrl(gateway.url, actorId, "/mixed"))
    clients.push(client)
    return client
  }

  it("serves both at once, each frame in its runner's version", async () => {
    expect(
      gateway
        .runners()
        .map((r) => [r.name, r.version])
        .sort(),
    ).toEqual([
      ["seventh", 7],
      ["third", 3],
    ])
    const onV3 = gateway.createActor({ name: "a", runnerName: "third" })
    const onV7 = gateway.createActor({ name: "b", runnerName: "seventh" })
    const [c3, c7] = [connect(onV3.actorId), connect(onV7.actorId)]
    await Promise.all([c3.opened, c7.opened])

    const sent = Array.from({ length: 50 }, (_, i) => `m${i}`)
    const http: Promise<[number, string]>[] = []
    for (const [i, text] of sent.entries()) {
      c3.send(text)
      c7.send(text)
      if (i % 10 === 0) {
        for (const actor of [onV3, onV7]) {
          http.push(
            fetch(`${gateway.url}/gateway/${actor.actorId}/req${i}`, {
              method: "POST",
              body: `b${i}`,
            }).then(async (r) => [r.status, await r.text()]),
          )
        }
      }
    }
    await Promise.all([
      c3.until(() => c3.messages.length === 50),
      c7.until(() => c7.messages.length === 50),
    ])
    expect(c3.messages).toEqual(sent)
    expect(c7.messages).toEqual(sent)
    const answers = await Promise.all(http)
    expect(answers.filter((_, i) => i % 2 === 0)).toEqual(
      [0, 10, 20, 30, 40].map((i) => [200, `POST /req${i} b${i}`]),
    )
    expect(answers.filter((_, i) => i % 2 === 1)).toEqual(
      [0, 10, 20, 30, 40].map((i) => [200, `POST /req${i} b${i}`]),
    )

    const runnerIds = Object.fromEntries(gateway.runners().map((r) => [r.version, r.runnerId]))
    const versionsOf = (runnerId: string) =>
      new Set(frames.filter((f) => f.runnerId === runnerId).map((f) => f.version))
    expect(versionsOf(runnerIds[3]!)).toEqual(new Set([3]))
    expect(versionsOf(runnerIds[7]!)).toEqual(new Set([7]))
    // Each family's own messages: TunnelAck and no ping from the gateway on v3, pings and no
    // TunnelAck on v7.
    const kinds = (runnerId: string) =>
      new Set(frames.filter((f) => f.runnerId === runnerId).map((f) => f.kind))
    expect(kinds(runnerIds[3]!).has("TunnelAck")).toBe(true)
    expect(kinds(runnerIds[7]!).has("TunnelAck")).toBe(false)
  })

  it("keeps each actor's socket across a sleep and wakes it on the next message", async () => {
    const onV3 = gateway.createActor({ name: "a", runnerName: "third" })
    const onV7 = gateway.createActor({ name: "b", runnerName: "seventh" })
    const [c3, c7] = [connect(onV3.actorId), connect(onV7.actorId)]
    await Promise.all([c3.opened, c7.opened])
    c3.send("before")
    c7.send("before")
    await Promise.all([
      c3.until(() => c3.messages.length === 1),
      c7.until(() => c7.messages.length === 1),
    ])
    gateway.sleepActor(onV3.actorId)
    gateway.sleepActor(onV7.actorId)
    await waitFor(() => [onV3, onV7].every((a) => gateway.getActor(a.actorId)?.state === "stopped"))
    expect([onV3, onV7].map((a) => gateway.getActor(a.actorId)?.hibernatingSockets)).toEqual([1, 1])
    c3.send("after")
    c7.send("after")
    await Promise.all([
      c3.until(() => c3.messages.length === 2),
      c7.until(() => c7.messages.length === 2),
    ])
    expect(c3.messages).toEqual(["before", "after"])
    expect(c7.messages).toEqual(["before", "after"])
    expect([onV3, onV7].map((a) => gateway.getActor(a.actorId)?.generation)).toEqual([2, 2])
    // v7 restores by id pair in the start command, and the socket's counter goes on: open 0,
    // "before" 1, "after" 2.
    const [, indexes] = [...v7.messageIndexes.entries()][0]!
    expect(indexes).toEqual([1, 2])
  })
})

async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error("condition not met")
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
