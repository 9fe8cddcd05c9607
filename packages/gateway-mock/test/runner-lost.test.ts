// Issue #12 point 2 end to end: the runner SDK, over every version, against the gateway mock
// going away. A gateway restarted on the same port has forgotten the runner and accepts it under a
// new runner id: the runner force-stops the old actors first. A gateway away past its runner lost
// threshold: the runner force-stops them when its timer fires (fired by the test: the timer is the
// runner's `scheduleRunnerLost`) and refuses pending KV. A connection cut (through a proxy) and
// restored in time: a v4+ runner resumes under its id; a v1–v3 runner, which the gateway forgets
// at once, comes back under a new id and force-stops what it had.
import { isSecondFamily, PROTOCOL_VERSIONS } from "@tunnelwire/protocol"
import { type ActorStopInfo, type Runner, RunnerLostError } from "@tunnelwire/runner"
import { afterEach, describe, expect, it } from "vitest"
import { type Gateway, startGateway } from "../src/index.js"
import { CuttableProxy } from "./support/cuttable-proxy.js"
import { echoRunner } from "./support/echo-runner.js"

describe.each(PROTOCOL_VERSIONS)(
  "the runner SDK over v%i when its gateway goes away",
  (version) => {
    let gateway: Gateway | undefined
    let runner: Runner | undefined
    let proxy: CuttableProxy | undefined
    /** Stop hook calls, as `<actor>:<reason>:<forced|asked>`. */
    let stops: string[]

    afterEach(async () => {
      await runner?.shutdown()
      await proxy?.close()
      await gateway?.stop()
      runner = undefined
      proxy = undefined
      gateway = undefined
    })

    async function serve(options: {
      runnerLostThresholdMs?: number
      scheduleRunnerLost?: (fire: () => void, delayMs: number) => () => void
      /** Connect the runner through a proxy the test can cut. */
      cuttable?: boolean
    }): Promise<{ gateway: Gateway; runner: Runner; actorId: string }> {
      stops = []
      gateway = await startGateway({ runnerLostThresholdMs: options.runnerLostThresholdMs })
      if (options.cuttable === true) proxy = await CuttableProxy.start(gateway.port)
      runner = echoRunner({
        endpoint: proxy?.url ?? gateway.url,
        version,
        scheduleRunnerLost: options.scheduleRunnerLost,
        handlers: {
          onActorStop: (actorId: string, _generation: number, info: ActorStopInfo) => {
            stops.push(`${actorId}:${info.reason}:${info.forced ? "forced" : "asked"}`)
          },
        },
      })
      await runner.start()
      const { actorId } = gateway.createActor({ name: "echo" })
      await expectServed(gateway, actorId)
      return { gateway, runner, actorId }
    }

    async function restart(port: number): Promise<Gateway> {
      await gateway?.stop()
      gateway = await startGateway({ port })
      return gateway
    }

    it("a restarted gateway accepts the runner under a new runner id: the old actors are force-stopped, new ones served", async () => {
      const first = await serve({})
      const oldRunnerId = first.runner.runnerId
      const second = await restart(first.gateway.port)
      // Accepted by the new gateway, under the id it minted.
      await eventually(() => first.runner.runnerId === second.runners()[0]?.runnerId)
      expect(first.runner.runnerId).not.toBe(oldRunnerId)
      await eventually(() => stops.length === 1)
      expect(stops).toEqual([`${first.actorId}:runnerReplaced:forced`])
      const { actorId } = second.createActor({ name: "echo" })
      await expectServed(second, actorId)
      expect(stops).toHaveLength(1)
    })

    it("away past the runner lost threshold: actors force-stopped and KV refused before any reconnect", async () => {
      const timers: Array<{ fire: () => void; delayMs: number }> = []
      const first = await serve({
        runnerLostThresholdMs: 1_234,
        scheduleRunnerLost: (fire, delayMs) => {
          timers.push({ fire, delayMs })
          return () => {}
        },
      })
      const port = first.gateway.port
      await first.gateway.stop()
      gateway = undefined
      await eventually(() => timers.length === 1)
      expect(timers.map((timer) => timer.delayMs)).toEqual([1_234])
      const put = failureOf(
        first.runner.kv(first.actorId).put([[new Uint8Array([1]), new Uint8Array([2])]]),
      )
      timers[0]?.fire()
      expect(await put).toBeInstanceOf(RunnerLostError)
      await eventually(() => stops.length === 1)
      expect(stops).toEqual([`${first.actorId}:runnerLost:forced`])
      // Back under a new runner id: nothing left to stop, and it serves.
      const second = await restart(port)
      await eventually(() => first.runner.runnerId === second.runners()[0]?.runnerId)
      const { actorId } = second.createActor({ name: "echo" })
      await expectServed(second, actorId)
      expect(stops).toHaveLength(1)
      // Failed reconnects while the gateway was down started no second timer.
      expect(timers).toHaveLength(1)
    })

    it.runIf(isSecondFamily(version))(
      "a connection cut and restored within the threshold resumes: same runner id, the actor kept, nothing stopped",
      async () => {
        const timers: number[] = []
        const first = await serve({
          cuttable: true,
          scheduleRunnerLost: (_fire, delayMs) => {
            timers.push(delayMs)
            return () => {}
          },
        })
        const runnerId = first.runner.runnerId
        const generation = first.gateway.getActor(first.actorId)?.generation
        proxy?.cut()
        await eventually(() => timers.length === 1)
        await eventually(() => first.gateway.runners()[0]?.runnerId === runnerId)
        await expectServed(first.gateway, first.actorId)
        expect(first.runner.runnerId).toBe(runnerId)
        expect(first.gateway.getActor(first.actorId)?.generation).toBe(generation)
        expect(stops).toEqual([])
      },
    )

    it.runIf(!isSecondFamily(version))(
      "a cut connection: the gateway forgets a v1–v3 runner at once, so the runner, accepted under a new id, force-stops the actor the gateway starts again",
      async () => {
        const first = await serve({ cuttable: true })
        const runnerId = first.runner.runnerId
        const generation = first.gateway.getActor(first.actorId)?.generation ?? 0
        proxy?.cut()
        await eventually(() => stops.length === 1)
        expect(stops).toEqual([`${first.actorId}:runnerReplaced:forced`])
        expect(first.runner.runnerId).not.toBe(runnerId)
        await expectServed(first.gateway, first.actorId)
        expect(first.gateway.getActor(first.actorId)?.generation).toBeGreaterThan(generation)
      },
    )
  },
)

/** An HTTP request through the gateway reaches the actor and comes back. */
async function expectServed(gateway: Gateway, actorId: string): Promise<void> {
  const response = await fetch(`${gateway.url}/gateway/${actorId}/ping`, {
    method: "POST",
    body: "hi",
  })
  expect([response.status, await response.text()]).toEqual([200, "POST /ping hi"])
}

/** What `promise` rejects with (handled from the start); `null` if it resolves. */
function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  )
}

async function eventually(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error("condition not met")
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
