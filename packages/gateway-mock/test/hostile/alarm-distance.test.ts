// #14 item 9: an alarm set further ahead than setTimeout can wait (2^31-1 ms, 24.8 days) fires at
// its time, not at once. Fake timers stand in for the months.
import { LATEST_VERSION } from "@tunnelwire/protocol"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { Actor, type ActorHost } from "../../src/actors/actor.js"
import type { ActorStart, RunnerConnection } from "../../src/runners/runner-connection.js"
import { Tap } from "../../src/tap/tap.js"

const DAY_MS = 24 * 60 * 60 * 1000

/** An actor whose starts are recorded: an alarm that fires starts it. */
function sleepingActor() {
  const starts: ActorStart[] = []
  const runner = {
    version: LATEST_VERSION,
    actorIds: new Set<string>(),
    startActor: (start: ActorStart) => starts.push(start),
  }
  const host: ActorHost = {
    tap: new Tap(0),
    pickRunner: () => runner as unknown as RunnerConnection,
  }
  const actor = new Actor(
    crypto.randomUUID(),
    {
      name: "alarmed",
      key: null,
      namespace: "default",
      runnerName: null,
      input: null,
    },
    host,
  )
  return { actor, starts }
}

describe("hostile timing: alarms far ahead", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it.each([30, 365])(
    "an alarm %i days ahead wakes the actor at its time, not before",
    async (days) => {
      const { actor, starts } = sleepingActor()
      actor.setAlarm(Date.now() + days * DAY_MS)

      await vi.advanceTimersByTimeAsync(days * DAY_MS - 1_000)
      expect(starts).toEqual([])
      expect(actor.state).toBe("stopped")

      await vi.advanceTimersByTimeAsync(1_000)
      expect(starts.map((start) => start.generation)).toEqual([1])
      expect(actor.state).toBe("starting")
    },
  )

  it("an alarm replaced by a later one fires only at the later time", async () => {
    const { actor, starts } = sleepingActor()
    actor.setAlarm(Date.now() + 40 * DAY_MS)
    actor.setAlarm(Date.now() + 80 * DAY_MS)
    await vi.advanceTimersByTimeAsync(79 * DAY_MS)
    expect(starts).toEqual([])
    await vi.advanceTimersByTimeAsync(DAY_MS)
    expect(starts).toHaveLength(1)
  })
})
