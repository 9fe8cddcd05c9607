import {
  capabilities,
  type latest,
  RIVET_SUBPROTOCOL,
  RUNNER_CONNECT_PATH,
  TOKEN_SUBPROTOCOL_PREFIX,
} from "@tunnelwire/protocol/pinned/v3"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import type { Runner } from "../src/index.js"
import { FakeGateway } from "./support/fake-gateway.js"
import { deferred, testRunner, versions } from "./support/harness.js"

describe.each(versions)("runner lifecycle over v%i", (version) => {
  let gateway: FakeGateway
  let runner: Runner | undefined

  beforeEach(async () => {
    gateway = await FakeGateway.start({ token: "sekret" })
  })

  afterEach(async () => {
    await runner?.shutdown()
    runner = undefined
    await gateway.close()
  })

  it("connects with the version, namespace and key in the query and the token as a subprotocol", async () => {
    ;({ runner } = testRunner(gateway, version, { token: "sekret", runnerKey: "key-1" }))
    await runner.start()
    const [connection] = gateway.connections
    expect(connection).toMatchObject({ version, namespace: "test", runnerKey: "key-1" })
    expect(connection?.protocols).toEqual([RIVET_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}sekret`])
    expect(RUNNER_CONNECT_PATH).toBe("/runners/connect")
  })

  it("introduces itself with ToServerInit and resolves start() on ToClientInit", async () => {
    ;({ runner } = testRunner(gateway, version, {
      token: "sekret",
      totalSlots: 7,
      version: 42,
      metadata: { region: "local" },
      actorNames: { counter: { icon: "c" } },
    }))
    await runner.start()
    const [init] = gateway.received()
    expect(init).toEqual({
      tag: "ToServerInit",
      val: {
        name: "test-runner",
        version: 42,
        totalSlots: 7,
        lastCommandIdx: null,
        prepopulateActorNames: new Map([["counter", { metadata: '{"icon":"c"}' }]]),
        metadata: '{"region":"local"}',
      },
    })
    expect(runner.runnerId).toBe("fake-runner")
  })

  it("reports an actor running only after onActorStart resolved, and acks the command", async () => {
    const release = deferred()
    ;({ runner } = testRunner(gateway, version, {
      token: "sekret",
      handlers: { onActorStart: () => release.promise },
    }))
    await runner.start()
    const since = gateway.frames.length
    const running = gateway.startActor("actor-a")
    await gateway.nextFrom(since, (m) => m.tag === "ToServerAckCommands")
    await gateway.barrier()
    expect(stateUpdates(gateway.received(since))).toEqual([])
    release.resolve()
    await running
    expect(stateUpdates(gateway.received(since))).toEqual(["actor-a:ActorStateRunning"])
    expect(gateway.received(since)).toContainEqual({
      tag: "ToServerAckCommands",
      val: { lastCommandIdx: 0n },
    })
  })

  it("passes the actor config to onActorStart and stops the actor on CommandStopActor", async () => {
    const built = testRunner(gateway, version, { token: "sekret" })
    runner = built.runner
    await runner.start()
    await gateway.startActor("actor-a", { generation: 3, input: new Uint8Array([1, 2]) })
    expect(built.log.starts).toEqual([
      {
        actorId: "actor-a",
        generation: 3,
        config: {
          name: "test-actor",
          key: null,
          createTs: 1_700_000_000_000,
          input: new Uint8Array([1, 2]),
        },
      },
    ])
    await gateway.stopActor("actor-a", 3)
    expect(built.log.stops).toEqual([{ actorId: "actor-a", generation: 3 }])
  })

  it("reports a start hook that throws as stopped with an error", async () => {
    ;({ runner } = testRunner(gateway, version, {
      token: "sekret",
      handlers: {
        onActorStart: () => {
          throw new Error("no disk")
        },
      },
    }))
    await runner.start()
    const since = gateway.frames.length
    gateway.sendCommand(startCommand("actor-b"))
    const frame = await gateway.waitForState("actor-b", "ActorStateStopped", since)
    const message = frame.message as latest.ToServer
    expect(message.tag === "ToServerEvents" && message.val[0]?.inner).toMatchObject({
      tag: "EventActorStateUpdate",
      val: { state: { tag: "ActorStateStopped", val: { code: "Error", message: "no disk" } } },
    })
  })

  it.runIf(capabilities(version).initLastIndexes)(
    "ignores a command index it already processed",
    async () => {
      const built = testRunner(gateway, version, { token: "sekret" })
      runner = built.runner
      await runner.start()
      await gateway.startActor("actor-a")
      gateway.send({
        tag: "ToClientCommands",
        val: [{ index: 0n, inner: startCommand("actor-z") }],
      })
      await gateway.barrier()
      expect(built.log.starts.map((s) => s.actorId)).toEqual(["actor-a"])
    },
  )

  it.runIf(capabilities(version).checkpoints)(
    "ignores a command its actor generation already processed (a replay after reconnect)",
    async () => {
      const built = testRunner(gateway, version, { token: "sekret" })
      runner = built.runner
      await runner.start()
      await gateway.startActor("actor-a")
      const since = gateway.frames.length
      gateway.sendV7({
        tag: "ToClientCommands",
        val: [
          {
            checkpoint: { actorId: "actor-a", generation: 0, index: 0n },
            inner: {
              tag: "CommandStartActor",
              val: {
                config: { name: "again", key: null, createTs: 0n, input: null },
                hibernatingRequests: [],
              },
            },
          },
        ],
      })
      await gateway.barrier()
      expect(built.log.starts.map((s) => s.actorId)).toEqual(["actor-a"])
      expect(gateway.received(since).filter((m) => m.tag === "ToServerEvents")).toEqual([])
    },
  )

  it("raises sleep and stop intents and alarms as indexed events", async () => {
    ;({ runner } = testRunner(gateway, version, { token: "sekret" }))
    await runner.start()
    await gateway.startActor("actor-a", { generation: 2 })
    const since = gateway.frames.length
    runner.sleepActor("actor-a")
    runner.stopActor("actor-a")
    runner.setAlarm("actor-a", 1_800_000_000_000)
    runner.setAlarm("actor-a", null)
    await gateway.waitFor(() => events(gateway.received(since)).length === 4)
    expect(events(gateway.received(since))).toEqual([
      {
        index: 1n,
        inner: {
          tag: "EventActorIntent",
          val: {
            actorId: "actor-a",
            generation: 2,
            intent: { tag: "ActorIntentSleep", val: null },
          },
        },
      },
      {
        index: 2n,
        inner: {
          tag: "EventActorIntent",
          val: { actorId: "actor-a", generation: 2, intent: { tag: "ActorIntentStop", val: null } },
        },
      },
      {
        index: 3n,
        inner: {
          tag: "EventActorSetAlarm",
          val: { actorId: "actor-a", generation: 2, alarmTs: 1_800_000_000_000n },
        },
      },
      {
        index: 4n,
        inner: {
          tag: "EventActorSetAlarm",
          val: { actorId: "actor-a", generation: 2, alarmTs: null },
        },
      },
    ])
  })

  it("refuses intents for an actor it does not host", async () => {
    ;({ runner } = testRunner(gateway, version, { token: "sekret" }))
    await runner.start()
    expect(() => runner?.sleepActor("nobody")).toThrow(/not hosted/)
  })

  it.runIf(capabilities(version).pingSender === "runner")(
    "pings the gateway with a timestamp",
    async () => {
      ;({ runner } = testRunner(gateway, version, { token: "sekret", pingIntervalMs: 10 }))
      await runner.start()
      const frame = await gateway.nextFrom(0, (m) => m.tag === "ToServerPing")
      const ping = frame.message as latest.ToServer
      expect(ping.tag === "ToServerPing" && typeof ping.val.ts).toBe("bigint")
    },
  )

  it.runIf(capabilities(version).pingSender === "gateway")(
    "answers the gateway's ping at once with a pong of the same timestamp, and never pings itself",
    async () => {
      ;({ runner } = testRunner(gateway, version, { token: "sekret", pingIntervalMs: 10 }))
      await runner.start()
      const since = gateway.frames.length
      gateway.sendV7({ tag: "ToClientPing", val: { ts: 4_242n } })
      // The fake records a pong as the ping it answers (its model is v3's).
      const frame = await gateway.nextFrom(since, (m) => m.tag === "ToServerPing")
      expect(frame.message).toEqual({ tag: "ToServerPing", val: { ts: 4_242n } })
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(gateway.received().filter((m) => m.tag === "ToServerPing")).toHaveLength(1)
    },
  )

  it("derives what it sends from the version's capabilities", () => {
    expect(capabilities(version).canHibernate).toBe(version >= 2)
  })
})

function startCommand(actorId: string): latest.Command {
  return {
    tag: "CommandStartActor",
    val: {
      actorId,
      generation: 0,
      config: { name: "x", key: null, createTs: 0n, input: null },
      hibernatingRequestIds: [],
    },
  }
}

function events(messages: latest.ToServer[]): latest.EventWrapper[] {
  return messages.flatMap((m) => (m.tag === "ToServerEvents" ? m.val : []))
}

function stateUpdates(messages: latest.ToServer[]): string[] {
  return events(messages).flatMap((e) =>
    e.inner.tag === "EventActorStateUpdate"
      ? [`${e.inner.val.actorId}:${e.inner.val.state.tag}`]
      : [],
  )
}
