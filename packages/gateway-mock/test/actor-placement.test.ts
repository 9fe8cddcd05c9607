import { describe, expect, it } from "vitest"
import { eventually } from "./support/client.js"
import { useGateway } from "./support/fixture.js"
import type { RawRunner } from "./support/raw-runner.js"

const fixture = useGateway()

describe("actor placement", () => {
  it("starts each new actor on the least loaded runner with a free slot, and none on a full runner", async () => {
    const f = fixture()
    const small = await f.runner({ version: 3, totalSlots: 2 })
    const large = await f.runner({ version: 3, totalSlots: 3 })
    const slots = new Map([
      [small.runnerId, 2],
      [large.runnerId, 3],
    ])
    const load = () =>
      new Map(f.gateway.runners().map((runner) => [runner.runnerId, runner.actorIds.length]))

    for (let placed = 0; placed < 5; placed++) {
      const before = load()
      const free = [...before].filter(([runnerId, actors]) => actors < slots.get(runnerId)!)
      const leastLoad = Math.min(...free.map(([, actors]) => actors))
      const { actorId } = f.gateway.createActor({ name: "chat" })
      f.gateway.wakeActor(actorId)
      await eventually(() => f.gateway.getActor(actorId)?.state === "running")
      const host = f.gateway.getActor(actorId)!.runnerId!
      expect(before.get(host), `actor ${placed} went to a runner carrying more than others`).toBe(
        leastLoad,
      )
      expect(before.get(host)).toBeLessThan(slots.get(host)!)
    }
    expect(load()).toEqual(slots)

    // Every slot taken: the actor waits, and neither runner is asked to start it.
    const commandsBefore = commands(small) + commands(large)
    const { actorId } = f.gateway.createActor({ name: "chat" })
    f.gateway.wakeActor(actorId)
    expect(f.gateway.getActor(actorId)).toMatchObject({ state: "stopped", runnerId: null })
    await Promise.all([small, large].map(roundTrip))
    expect(commands(small) + commands(large)).toBe(commandsBefore)
    expect(load()).toEqual(slots)
  })
})

function commands(runner: RawRunner): number {
  return runner.received.filter((message) => message.tag === "ToClientCommands").length
}

/** Resolves once the gateway answered a KV request: whatever it sent before has arrived. */
async function roundTrip(runner: RawRunner): Promise<void> {
  const requestId = 1_000 + runner.received.length
  runner.send({
    tag: "ToServerKvRequest",
    val: { actorId: "no-such-actor", requestId, data: { tag: "KvDropRequest", val: null } },
  })
  await runner.until(() =>
    runner.received.some((m) => m.tag === "ToClientKvResponse" && m.val.requestId === requestId),
  )
}
