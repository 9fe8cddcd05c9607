import type { latest } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { eventually } from "./support/client.js"
import { useGateway } from "./support/fixture.js"
import type { RawRunner } from "./support/raw-runner.js"

const fixture = useGateway()

function acknowledged(runner: RawRunner): bigint[] {
  return runner.received.flatMap((m) => (m.tag === "ToClientAckEvents" ? [m.val.lastEventIdx] : []))
}

describe("runner events", () => {
  it("an event resent after a reconnect is applied once and the acknowledgement stays at its index", async () => {
    const f = fixture()
    const first = await f.runner({ version: 3, runnerKey: "resending" })
    const { actorId } = f.gateway.createActor({ name: "chat" })
    f.gateway.wakeActor(actorId)
    await eventually(() => f.gateway.getActor(actorId)?.state === "running")
    const alarm: latest.Event = {
      tag: "EventActorSetAlarm",
      val: { actorId, generation: 1, alarmTs: BigInt(Date.now() + 3_600_000) },
    }
    first.sendEvent(alarm)
    await first.until(() => acknowledged(first).at(-1) === 1n)

    // The runner lost its connection before it saw that acknowledgement, and sends event 1 again.
    first.kill()
    await eventually(() => f.gateway.runners().length === 0)
    const second = await f.runner({ version: 3, runnerKey: "resending" })
    const init = second.received.find((m) => m.tag === "ToClientInit")
    expect(init?.tag === "ToClientInit" && init.val.lastEventIdx).toBe(1n)
    const since = f.events.length
    second.send({ tag: "ToServerEvents", val: [{ index: 1n, inner: alarm }] })
    await second.until(() => acknowledged(second).length === 1)
    expect(acknowledged(second)).toEqual([1n])
    expect(
      f.events.slice(since).filter((event) => event.type !== "frame"),
      "the resent event did something",
    ).toEqual([])

    // The next event, the actor's start on the new connection, is applied.
    f.gateway.wakeActor(actorId)
    await eventually(() => f.gateway.getActor(actorId)?.state === "running")
    await second.until(() => acknowledged(second).at(-1) === 2n)
    expect(f.gateway.getActor(actorId)).toMatchObject({ generation: 2, runnerId: second.runnerId })

    // Sent again once more, now that a later event was applied: the acknowledgement stays at 2.
    second.send({ tag: "ToServerEvents", val: [{ index: 1n, inner: alarm }] })
    await second.until(() => acknowledged(second).length === 3)
    expect(acknowledged(second)).toEqual([1n, 2n, 2n])
  })
})
