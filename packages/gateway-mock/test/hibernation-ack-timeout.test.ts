import { describe, expect, it } from "vitest"
import { useGateway } from "./support/fixture.js"

// Long enough that the sleep below lands well within it even on a loaded machine: collecting the
// socket before it hibernates would be a different (and correct) outcome.
const ACK_TIMEOUT_MS = 1_000
const fixture = useGateway({ ackTimeoutMs: ACK_TIMEOUT_MS, gcIntervalMs: 10 })

describe("a socket that hibernates while its runner holds an unacknowledged tunnel message", () => {
  it("stays open past the ack timeout and has the message replayed when its actor wakes", async () => {
    const f = fixture()
    const runner = await f.runner({ version: 3, ackMessages: false, holdStops: true })
    const actor = f.gateway.createActor({ name: "chat" })
    const client = f.client(actor.actorId)
    await client.opened
    runner.ackTunnel = false
    client.send("held")
    await runner.until(() => [...runner.delivered.values()].flat().includes("held"))

    // The actor is asked to sleep and takes its time: the socket hibernates still bound to its
    // runner, whose TunnelAck for "held" never comes.
    f.gateway.sleepActor(actor.actorId)
    await runner.until(() => runner.heldStops.has(actor.actorId))
    expect(f.tapped("socket").map((event) => event.event)).toEqual(["open", "hibernate"])
    await new Promise((resolve) => setTimeout(resolve, 3 * ACK_TIMEOUT_MS))
    expect(client.closed).toBeNull()
    expect(f.tapped("fault")).toEqual([])
    expect(f.tapped("socket").map((event) => event.event)).toEqual(["open", "hibernate"])

    runner.ackTunnel = true
    runner.finishStop(actor.actorId)
    client.send("wakes it")
    await client.until(() => client.messages.length === 2)
    expect(client.messages).toEqual(["held", "wakes it"])
    const indexes = runner
      .tunnelKinds("ToClientWebSocketMessage")
      .map((m) => m.messageKind.tag === "ToClientWebSocketMessage" && m.messageKind.val.index)
    expect(indexes, "held is sent again before the new message").toEqual([0, 0, 1])
    expect(f.tapped("socket").map((event) => event.event)).toEqual(["open", "hibernate", "wake"])
    expect(client.closed).toBeNull()
  })
})
