import {
  capabilities,
  idKey,
  type latest,
  RunnerConnectionClose,
  runnerConnectUrl,
  runnerSubprotocols,
  withRayId,
} from "@tunnelwire/protocol/pinned/v3"
import { afterEach, describe, expect, it } from "vitest"
import { RunnerConnection } from "../src/connection.js"
import { silentLogger } from "../src/index.js"
import { FakeGateway, type Frame } from "./support/fake-gateway.js"
import { seededRandom, settle, testRunner, versions } from "./support/harness.js"

const DROPS = 20

let gateway: FakeGateway | undefined

afterEach(async () => {
  await gateway?.close()
  gateway = undefined
})

/** Counts the connection's retry timers: how many were ever pending at once. */
function countingSchedule() {
  const stats = { scheduled: 0, pending: 0, maxPending: 0 }
  const schedule = (callback: () => void, delayMs: number) => {
    stats.scheduled += 1
    stats.pending += 1
    stats.maxPending = Math.max(stats.maxPending, stats.pending)
    let done = false
    const finish = () => {
      if (done) return
      done = true
      stats.pending -= 1
    }
    const timer = setTimeout(() => {
      finish()
      callback()
    }, delayMs)
    return () => {
      clearTimeout(timer)
      finish()
    }
  }
  return { stats, schedule }
}

describe("the runner connection", () => {
  it("schedules exactly one retry per failed attempt and never two at once", async () => {
    gateway = await FakeGateway.start({ refuseUpgrades: 5 })
    const { stats, schedule } = countingSchedule()
    const connection = new RunnerConnection({
      url: runnerConnectUrl(gateway.url, { protocolVersion: 3, namespace: "n", runnerKey: "k" }),
      protocols: runnerSubprotocols(undefined),
      backoff: { initialDelayMs: 2, maxDelayMs: 10 },
      random: seededRandom(3),
      logger: silentLogger,
      handlers: { opened: () => {}, frame: () => {}, lost: () => {} },
      schedule,
    })
    connection.connect()
    await gateway.waitForConnection(1)
    for (let drop = 0; drop < DROPS; drop++) {
      const before = gateway.connections.length
      gateway.drop()
      await gateway.waitFor(() => gateway?.connections.length === before + 1 && gateway.connected)
    }
    await connection.close(1000, "done")
    expect(gateway.upgradeAttempts).toBe(5 + 1 + DROPS)
    expect(stats).toEqual({ scheduled: 5 + DROPS, pending: 0, maxPending: 1 })
  })

  it("waits the initial delay, doubles it per failed attempt up to the cap, and starts over once a ToClientInit arrives", async () => {
    gateway = await FakeGateway.start({ refuseUpgrades: 4 })
    const gw = gateway
    const delays: number[] = []
    const { runner } = testRunner(gw, 3, {
      reconnect: { initialDelayMs: 10, maxDelayMs: 60, jitter: 0 },
      // Records the delay and attempts at once: the test waits for nothing.
      scheduleReconnect: (attempt, delayMs) => {
        delays.push(delayMs)
        const immediate = setImmediate(attempt)
        return () => clearImmediate(immediate)
      },
    })
    await runner.start()
    expect(delays, "four refused upgrades").toEqual([10, 20, 40, 60])

    // Sockets that open but are never accepted are failed attempts too: no start over.
    const introduced = (connection: number) =>
      gw.waitFor(() =>
        gw.frames.some(
          (f) =>
            f.connection === connection && f.direction === "in" && f.message.tag === "ToServerInit",
        ),
      )
    gw.answerInit = false
    gw.drop()
    await introduced(1)
    gw.drop()
    await introduced(2)
    gw.answerInit = true
    gw.drop()
    await gw.waitForReady(4)
    gw.drop()
    await gw.waitForReady(5)
    await runner.shutdown()
    expect(delays).toEqual([10, 20, 40, 60, 10, 20, 40, 10])
  })

  it.each(versions)(
    "stops reconnecting when the gateway evicts it over v%i (the version's eviction reason)",
    async (version) => {
      gateway = await FakeGateway.start()
      const { runner } = testRunner(gateway, version)
      await runner.start()
      const rule = capabilities(version).toClientClose
        ? RunnerConnectionClose.evicted
        : RunnerConnectionClose.engineEviction
      gateway.closeConnection(rule.code, withRayId(rule.reason, "ray1"))
      await gateway.waitFor(() => gateway?.connections[0]?.closeCode !== null)
      await runner.shutdown()
      expect(gateway.upgradeAttempts).toBe(1)
    },
  )
})

describe.each(versions)(`reconnect under ${DROPS} drops over v%i`, (version) => {
  // Drops at random moments lose what was in flight; only v1–v3 (TunnelAck) can redeliver it.
  it.runIf(capabilities(version).tunnelAck)(
    "resends each unacknowledged event once, prunes acknowledged ones, and delivers buffered data in order (v1–v3 only: data redelivery needs TunnelAck, which v4+ does not have)",
    async () => {
      const gw = await FakeGateway.start()
      gateway = gw
      const rng = seededRandom(1_000 + version)
      const { runner, log } = testRunner(gw, version, { random: rng })
      await runner.start()
      await gw.startActor("actor-a")
      const { requestId } = await gw.openWebSocket("actor-a")
      const ws = log.sockets[0]!.ws
      let sent = 0
      let alarms = 0
      // Acknowledgements come late, at random, so some are still outstanding at each drop.
      gw.ackEvents = false
      gw.ackTunnel = false
      const act = async (count: number) => {
        for (let i = 0; i < count; i++) {
          const roll = rng()
          if (roll < 0.45) ws.send(`m${sent++}`)
          else if (roll < 0.7) runner.setAlarm("actor-a", 1_000 + alarms++)
          else if (roll < 0.85) gw.acknowledgeEvents()
          else gw.acknowledgeTunnel()
          if (rng() < 0.3) await settle()
        }
      }

      for (let drop = 0; drop < DROPS; drop++) {
        // A quarter of the drops land mid-handshake, the rest after a burst of traffic.
        if (rng() < 0.25) {
          await gw.waitFor(() => gw.connections.length === drop + 1 && gw.connected)
        } else {
          await gw.waitForReady(drop + 1)
          await gw.barrier()
          await act(Math.floor(rng() * 25))
        }
        gw.drop()
        await act(Math.floor(rng() * 8))
      }
      await gw.waitForReady(DROPS + 1)
      gw.ackEvents = true
      gw.ackTunnel = true
      await gw.barrier()
      gw.acknowledgeEvents()
      gw.acknowledgeTunnel()
      const totalEvents = 1 + alarms
      await gw.waitFor(
        () =>
          deliveredMessages(gw, requestId).length === sent &&
          gw.acknowledgedEventIdx === BigInt(totalEvents - 1),
      )
      await gw.barrier()

      // A last drop with everything acknowledged: nothing may be sent again.
      const quiet = gw.frames.length
      gw.drop()
      await gw.waitForReady(DROPS + 2)
      await gw.barrier()

      expect(gw.upgradeAttempts).toBe(gw.connections.length)
      // The scenario did exercise resending: events and data that crossed a drop unacknowledged.
      expect(repeatedAcrossConnections(gw.frames, "event")).toBeGreaterThan(0)
      expect(repeatedAcrossConnections(gw.frames, "data")).toBeGreaterThan(0)
      expect(deliveredMessages(gw, requestId)).toEqual(
        Array.from({ length: sent }, (_, i) => `m${i}`),
      )
      for (let c = 0; c < gw.connections.length; c++) {
        const ids = tunnelMessageIds(gw.frames, c)
        expect(new Set(ids).size, `a message id repeated within connection ${c}`).toBe(ids.length)
        const init = initOf(gw.frames, c)
        if (init === undefined) continue
        const indexes = eventIndexes(gw.frames, c)
        const expected = indexes.map((_, i) => init.lastEventIdx + 1n + BigInt(i))
        expect(indexes, `events on connection ${c}`).toEqual(expected)
      }
      const alarmsSeen = allEvents(gw.frames).flatMap(({ inner }) =>
        inner.tag === "EventActorSetAlarm" ? [Number(inner.val.alarmTs)] : [],
      )
      expect(alarmsSeen).toEqual(Array.from({ length: alarms }, (_, i) => 1_000 + i))
      expect(
        gw.received(quiet).filter((m) => m.tag === "ToServerEvents" || isData(m)),
        "resent after everything was acknowledged",
      ).toEqual([])
      await runner.shutdown()
    },
  )
})

describe.each(versions)(`event replay under ${DROPS} drops over v%i`, (version) => {
  // v4+ acknowledges events by checkpoint per actor generation; what no checkpoint covers is sent
  // again, all together, after every reconnect (`v4-v7.md` §4). Tunnel data lost in flight is not
  // redelivered on v4+ (no TunnelAck), so only events are counted here.
  it.runIf(capabilities(version).checkpoints)(
    "resends each event no checkpoint covers once per reconnect, in order, losing none and resending none a checkpoint covered",
    async () => {
      const gw = await FakeGateway.start({ ackEvents: false })
      gateway = gw
      const rng = seededRandom(2_000 + version)
      const { runner } = testRunner(gw, version, { random: rng })
      await runner.start()
      await gw.startActor("actor-a")
      let alarms = 0
      const act = async (count: number) => {
        for (let i = 0; i < count; i++) {
          if (rng() < 0.7) runner.setAlarm("actor-a", 1_000 + alarms++)
          else gw.acknowledgeEvents()
          if (rng() < 0.3) await settle()
        }
      }
      for (let drop = 0; drop < DROPS; drop++) {
        if (rng() < 0.25) {
          await gw.waitFor(() => gw.connections.length === drop + 1 && gw.connected)
        } else {
          await gw.waitForReady(drop + 1)
          await gw.barrier()
          await act(Math.floor(rng() * 25))
        }
        gw.drop()
        await act(Math.floor(rng() * 8))
      }
      await gw.waitForReady(DROPS + 1)
      await gw.barrier()
      const totalEvents = 1 + alarms
      await gw.waitFor(() => allEvents(gw.frames).length === totalEvents)
      gw.acknowledgeEvents()
      await gw.barrier()

      // A last drop with everything acknowledged: nothing may be sent again.
      const quiet = gw.frames.length
      gw.drop()
      await gw.waitForReady(DROPS + 2)
      await gw.barrier()

      expect(repeatedAcrossConnections(gw.frames, "event")).toBeGreaterThan(0)
      // On each connection the events form one unbroken run: the replay of what no checkpoint
      // covered, then the new ones. A gap would be a lost event, a repeat a double send.
      for (let c = 0; c < gw.connections.length; c++) {
        const indexes = eventIndexes(gw.frames, c)
        const first = indexes[0] ?? 0n
        expect(indexes, `events on connection ${c}`).toEqual(
          indexes.map((_, i) => first + BigInt(i)),
        )
      }
      const alarmsSeen = allEvents(gw.frames).flatMap(({ inner }) =>
        inner.tag === "EventActorSetAlarm" ? [Number(inner.val.alarmTs)] : [],
      )
      expect(alarmsSeen).toEqual(Array.from({ length: alarms }, (_, i) => 1_000 + i))
      expect(
        gw.received(quiet).filter((m) => m.tag === "ToServerEvents"),
        "resent after every event was covered by a checkpoint",
      ).toEqual([])
      await runner.shutdown()
    },
  )
})

/** The actor's messages as the gateway sees them: one copy per message id, in arrival order. */
function deliveredMessages(gw: FakeGateway, requestId: ArrayBuffer): string[] {
  const seen = new Set<string>()
  const texts: string[] = []
  for (const message of gw.received()) {
    if (message.tag !== "ToServerTunnelMessage") continue
    if (idKey(message.val.requestId) !== idKey(requestId)) continue
    const { messageKind, messageId } = message.val
    if (messageKind.tag !== "ToServerWebSocketMessage" || seen.has(idKey(messageId))) continue
    seen.add(idKey(messageId))
    texts.push(new TextDecoder().decode(messageKind.val.data))
  }
  return texts
}

/** How many events (by index) or tunnel messages (by id) arrived on more than one connection. */
function repeatedAcrossConnections(frames: Frame[], what: "event" | "data"): number {
  const firstSeenOn = new Map<string, number>()
  let repeated = 0
  for (const f of frames) {
    if (f.direction !== "in") continue
    const keys =
      what === "event"
        ? f.message.tag === "ToServerEvents"
          ? f.message.val.map((e) => String(e.index))
          : []
        : tunnelMessageIds([f], f.connection)
    for (const key of keys) {
      const first = firstSeenOn.get(key)
      if (first === undefined) firstSeenOn.set(key, f.connection)
      else if (first !== f.connection) repeated += 1
    }
  }
  return repeated
}

function isData(message: latest.ToServer): boolean {
  return message.tag === "ToServerTunnelMessage" && message.val.messageKind.tag !== "TunnelAck"
}

function tunnelMessageIds(frames: Frame[], connection: number): string[] {
  return frames.flatMap((f) => {
    const m = f.message
    if (f.direction !== "in" || f.connection !== connection) return []
    if (m.tag !== "ToServerTunnelMessage" || m.val.messageKind.tag === "TunnelAck") return []
    return [idKey(m.val.messageId)]
  })
}

function initOf(frames: Frame[], connection: number): latest.ToClientInit | undefined {
  for (const f of frames) {
    if (f.direction === "out" && f.connection === connection && f.message.tag === "ToClientInit") {
      return f.message.val
    }
  }
  return undefined
}

function eventIndexes(frames: Frame[], connection: number): bigint[] {
  return frames.flatMap((f) =>
    f.direction === "in" && f.connection === connection && f.message.tag === "ToServerEvents"
      ? f.message.val.map((e) => e.index)
      : [],
  )
}

function allEvents(frames: Frame[]): latest.EventWrapper[] {
  const byIndex = new Map<bigint, latest.EventWrapper>()
  for (const f of frames) {
    if (f.direction === "in" && f.message.tag === "ToServerEvents") {
      for (const event of f.message.val) byIndex.set(event.index, event)
    }
  }
  return [...byIndex.values()].sort((a, b) => (a.index < b.index ? -1 : 1))
}
