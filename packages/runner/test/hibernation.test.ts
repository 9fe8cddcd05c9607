import { capabilities, idKey, newId, RunnerClose, v2 } from "@tunnelwire/protocol/pinned/v3"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import {
  createMemoryHibernationStore,
  type HibernatingSocket,
  type Runner,
  type TunnelCloseEvent,
} from "../src/index.js"
import { FakeGateway } from "./support/fake-gateway.js"
import {
  type ActorLog,
  closeLine,
  deferred,
  onWire,
  recordSocket,
  settle,
  type TestRunnerConfig,
  testRunner,
  versions,
  wire,
} from "./support/harness.js"

const hibernatingVersions = versions.filter((v) => capabilities(v).canHibernate)
const restoringVersions = versions.filter((v) => capabilities(v).restoreHibernatingOnStart)

let gateway: FakeGateway
let runner: Runner | undefined
let log: ActorLog

beforeEach(async () => {
  gateway = await FakeGateway.start()
})

afterEach(async () => {
  await runner?.shutdown()
  runner = undefined
  await gateway.close()
})

/** Lets a test hold the start hook or fail the websocket handler of the runner it built. */
const startHookGate: { current: Promise<void> } = { current: Promise.resolve() }
const handlerGate: { current: () => void } = { current: () => {} }

async function startWith(version: number, config: TestRunnerConfig = {}): Promise<void> {
  startHookGate.current = Promise.resolve()
  handlerGate.current = () => {}
  ;({ runner, log } = testRunner(gateway, version, {
    ...config,
    handlers: {
      onActorStart: () => startHookGate.current,
      websocket: (actorId, ws, _request, info) => {
        handlerGate.current()
        log.sockets.push({ actorId, ws, restored: info.restored })
        recordSocket(log, ws)
      },
      ...config.handlers,
    },
  }))
  await runner.start()
  await gateway.startActor("actor-a")
}

async function openSocket() {
  const { requestId, answer } = await gateway.openWebSocket("actor-a")
  const socket = log.sockets.at(-1)
  if (socket === undefined) throw new Error("no socket reached the actor")
  await settle()
  return { requestId, answer, ws: socket.ws, events: log.socketEvents.get(socket.ws) ?? [] }
}

describe.each(versions)("actor stop over v%i", (version) => {
  const keeps = capabilities(version).canHibernate

  it(`${keeps ? "keeps" : "closes"} a socket the actor allowed to hibernate`, async () => {
    await startWith(version, { handlers: { canHibernate: () => true } })
    const { requestId, ws, events } = await openSocket()
    let closeEvent: TunnelCloseEvent | undefined
    ws.addEventListener("close", (event) => {
      closeEvent = event
    })
    const since = gateway.frames.length
    await gateway.stopActor("actor-a")
    await gateway.barrier()
    const { code, reason } = RunnerClose.actorStopped
    expect(events).toEqual(["open", `close:${code}:${reason}`])
    expect(closeEvent?.hibernating).toBe(keeps)
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      keeps ? [] : [closeLine(RunnerClose.actorStopped)],
    )
  })

  it("closes a socket that may not hibernate with RunnerClose.actorStopped", async () => {
    await startWith(version)
    const { requestId, events } = await openSocket()
    const since = gateway.frames.length
    await gateway.stopActor("actor-a")
    await gateway.barrier()
    const { code, reason } = RunnerClose.actorStopped
    expect(events).toEqual(["open", `close:${code}:${reason}`])
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(version, [closeLine(RunnerClose.actorStopped)]),
    )
  })

  it("sends the socket closes before the actor's stopped state", async () => {
    await startWith(version)
    const { requestId } = await openSocket()
    const since = gateway.frames.length
    await gateway.stopActor("actor-a")
    const order = gateway.received(since).flatMap((m) => {
      if (m.tag === "ToServerEvents") return ["Stopped"]
      if (m.tag === "ToServerTunnelMessage" && idKey(m.val.requestId) === idKey(requestId)) {
        return [wire(m.val.messageKind)]
      }
      return []
    })
    expect(order).toEqual([closeLine(RunnerClose.actorStopped), "Stopped"])
  })
})

describe.each(hibernatingVersions)("hibernation metadata over v%i", (version) => {
  it("keeps the metadata before answering the open, and each index before acknowledging it", async () => {
    const saved: Array<HibernatingSocket | string> = []
    const saveGate = { current: Promise.resolve() }
    await startWith(version, {
      handlers: {
        canHibernate: () => true,
        saveHibernating: async (_actorId, socket) => {
          saved.push(socket)
          await saveGate.current
          saved.push("saved")
        },
      },
    })
    const { requestId } = await openSocket()
    expect(saved).toEqual([
      {
        requestId: gateway.requestKey(requestId),
        path: "/ws",
        headers: {},
        lastMessageIndex: null,
      },
      "saved",
    ])
    const slowSave = deferred()
    saveGate.current = slowSave.promise
    const since = gateway.frames.length
    gateway.sendWebSocketMessage(requestId, "a", { index: 0 })
    gateway.sendWebSocketMessage(requestId, "b", { index: 1 })
    await gateway.barrier()
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(version, ["TunnelAck", "TunnelAck"]),
    )
    slowSave.resolve()
    // v4+ sends no TunnelAck: wait for as many lines as this version puts on the wire.
    const acknowledged = onWire(version, ["TunnelAck", "TunnelAck", "MessageAck 0", "MessageAck 1"])
    await gateway.waitFor(() => gateway.tunnelFrom(requestId, since).length === acknowledged.length)
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(acknowledged)
    expect(saved.slice(2).filter((s) => s !== "saved")).toEqual([
      { requestId: gateway.requestKey(requestId), path: "/ws", headers: {}, lastMessageIndex: 0 },
      { requestId: gateway.requestKey(requestId), path: "/ws", headers: {}, lastMessageIndex: 1 },
    ])
  })

  it.each([1, 3])(
    "delivers at most maxUnsavedMessages=%i messages ahead of the save that covers them",
    async (maxUnsavedMessages) => {
      const save = { current: deferred() }
      await startWith(version, {
        maxUnsavedMessages,
        handlers: {
          canHibernate: () => true,
          saveHibernating: async (_actorId, socket) => {
            if (socket.lastMessageIndex !== null) await save.current.promise
          },
        },
      })
      const { requestId, events } = await openSocket()
      const sent = ["m0", "m1", "m2", "m3", "m4"]
      for (const [index, text] of sent.entries()) {
        gateway.sendWebSocketMessage(requestId, text, { index })
      }
      await gateway.barrier()
      expect(events).toEqual([
        "open",
        ...sent.slice(0, maxUnsavedMessages).map((t) => `message:${t}`),
      ])
      for (let round = 0; round < sent.length && events.length < sent.length + 1; round++) {
        const saving = save.current
        save.current = deferred()
        saving.resolve()
        await settle()
      }
      save.current.resolve()
      expect(events).toEqual(["open", ...sent.map((t) => `message:${t}`)])
      await gateway.waitFor(() =>
        gateway.tunnelFrom(requestId).some((kind) => wire(kind) === "MessageAck 4"),
      )
    },
  )

  it("a sleep while a save is in flight saves every delivered message: the next run gets no message twice", async () => {
    const store = createMemoryHibernationStore()
    const slowSave = { current: Promise.resolve() }
    await startWith(version, {
      handlers: {
        canHibernate: () => true,
        ...store,
        saveHibernating: async (actorId, socket) => {
          await slowSave.current
          await store.saveHibernating(actorId, socket)
        },
      },
    })
    const { requestId, events } = await openSocket()
    const save = deferred()
    slowSave.current = save.promise
    gateway.sendWebSocketMessage(requestId, "m0", { index: 0 })
    gateway.sendWebSocketMessage(requestId, "m1", { index: 1 })
    await gateway.barrier()
    const stopped = gateway.stopActor("actor-a")
    await gateway.barrier()
    save.resolve()
    await stopped
    expect(events).toEqual([
      "open",
      "message:m0",
      "message:m1",
      `close:${RunnerClose.actorStopped.code}:${RunnerClose.actorStopped.reason}`,
    ])
    // The next run: the gateway replays what the runner did not acknowledge, then m2.
    const acks = gateway
      .tunnelFrom(requestId)
      .flatMap((k) => (k.tag === "ToServerWebSocketMessageAck" ? [k.val.index] : []))
    const restoresOnStart = capabilities(version).restoreHibernatingOnStart
    await gateway.startActor("actor-a", {
      generation: 1,
      hibernatingRequestIds: restoresOnStart ? [requestId] : [],
    })
    if (!restoresOnStart) {
      const since = gateway.frames.length
      gateway.sendTunnel(requestId, {
        tag: "ToClientWebSocketOpen",
        val: { actorId: "actor-a", path: "/ws", headers: new Map() },
      })
      await gateway.waitFor(() => gateway.tunnelFrom(requestId, since).length > 1)
    }
    const restored = log.sockets.at(-1)
    expect(restored?.restored).toBe(true)
    for (const [index, text] of ["m0", "m1"].entries()) {
      if (!acks.includes(index)) gateway.sendWebSocketMessage(requestId, text, { index })
    }
    gateway.sendWebSocketMessage(requestId, "m2", { index: 2 })
    await gateway.barrier()
    expect(log.socketEvents.get(restored!.ws)).toEqual(["message:m2"])
  })

  it("forgets the metadata when the client closes", async () => {
    const store = createMemoryHibernationStore()
    await startWith(version, { handlers: { canHibernate: () => true, ...store } })
    const { requestId } = await openSocket()
    expect(await store.loadHibernating("actor-a")).toHaveLength(1)
    gateway.closeWebSocket(requestId, 1000, "bye")
    await gateway.barrier()
    await settle()
    expect(await store.loadHibernating("actor-a")).toEqual([])
  })
})

describe("maxUnsavedMessages", () => {
  it.each([0, 1.5, -1])("refuses %s: at least one message must be deliverable", (value) => {
    const make = () =>
      testRunner(gateway, 3, { maxUnsavedMessages: value, handlers: { canHibernate: () => true } })
    expect(make).toThrow(RangeError)
  })
})

describe.each(restoringVersions)("restore on start over v%i", (version) => {
  async function sleepWithSocket() {
    const store = createMemoryHibernationStore()
    await startWith(version, { handlers: { canHibernate: () => true, ...store } })
    const opened = await openSocket()
    gateway.sendWebSocketMessage(opened.requestId, "m0", { index: 0 })
    gateway.sendWebSocketMessage(opened.requestId, "m1", { index: 1 })
    await gateway.waitFor(() =>
      gateway.tunnelFrom(opened.requestId).some((k) => wire(k) === "MessageAck 1"),
    )
    await gateway.stopActor("actor-a")
    return { ...opened, store }
  }

  it("restores a hibernating socket with no open event and no new open answer", async () => {
    const { requestId } = await sleepWithSocket()
    const since = gateway.frames.length
    await gateway.startActor("actor-a", { generation: 1, hibernatingRequestIds: [requestId] })
    const restored = log.sockets.at(-1)
    expect(restored?.restored).toBe(true)
    expect(restored?.ws.readyState).toBe(1)
    gateway.sendWebSocketMessage(requestId, "m1 replayed", { index: 1 })
    gateway.sendWebSocketMessage(requestId, "m2", { index: 2 })
    await gateway.barrier()
    expect(log.socketEvents.get(restored!.ws)).toEqual(["message:m2"])
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(version, ["TunnelAck", "MessageAck 1", "TunnelAck", "MessageAck 2"]),
    )
  })

  it("holds replayed messages that arrive before the restore finished", async () => {
    const { requestId } = await sleepWithSocket()
    const release = deferred()
    // The gateway replays right after the start command, while the start hook still runs.
    const since = gateway.frames.length
    startHookGate.current = release.promise
    gateway.sendCommand({
      tag: "CommandStartActor",
      val: {
        actorId: "actor-a",
        generation: 1,
        config: { name: "x", key: null, createTs: 0n, input: null },
        hibernatingRequestIds: [requestId],
      },
    })
    gateway.sendWebSocketMessage(requestId, "m2", { index: 2 })
    gateway.sendWebSocketMessage(requestId, "m3", { index: 3 })
    await gateway.barrier()
    release.resolve()
    await gateway.waitForState("actor-a", "ActorStateRunning", since)
    await gateway.barrier()
    const restored = log.sockets.at(-1)
    expect(log.socketEvents.get(restored!.ws)).toEqual(["message:m2", "message:m3"])
  })

  it("restore of missing metadata: closes with RunnerClose.metaNotFoundDuringRestore", async () => {
    await startWith(version, {
      handlers: { canHibernate: () => true, ...createMemoryHibernationStore() },
    })
    await gateway.stopActor("actor-a")
    const unknown = newId()
    await gateway.startActor("actor-a", { generation: 1, hibernatingRequestIds: [unknown] })
    await gateway.barrier()
    expect(gateway.tunnelFrom(unknown).map(wire)).toEqual(
      onWire(version, [closeLine(RunnerClose.metaNotFoundDuringRestore)]),
    )
  })

  it("restore of stale metadata: closes the socket locally with RunnerClose.staleMetadata, nothing on the wire", async () => {
    const { requestId, store } = await sleepWithSocket()
    const since = gateway.frames.length
    await gateway.startActor("actor-a", { generation: 1, hibernatingRequestIds: [] })
    await gateway.barrier()
    await settle()
    const stale = log.sockets.at(-1)
    expect(stale?.restored).toBe(true)
    const { code, reason } = RunnerClose.staleMetadata
    expect(log.socketEvents.get(stale!.ws)).toEqual([`close:${code}:${reason}`])
    expect(gateway.tunnelFrom(requestId, since)).toEqual([])
    expect(await store.loadHibernating("actor-a")).toEqual([])
  })

  it("restore whose handler throws: closes with RunnerClose.restoreError", async () => {
    const { requestId } = await sleepWithSocket()
    let failNext = true
    const original = log.sockets.length
    handlerGate.current = () => {
      if (failNext) {
        failNext = false
        throw new Error("cannot rebuild")
      }
    }
    const since = gateway.frames.length
    await gateway.startActor("actor-a", { generation: 1, hibernatingRequestIds: [requestId] })
    await gateway.barrier()
    expect(log.sockets.length).toBe(original)
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(version, [closeLine(RunnerClose.restoreError)]),
    )
  })
})

describe("v2: the gateway reopens a kept socket", () => {
  it("answers the reopen with canHibernate and the last index the actor kept", async () => {
    const requestId = newId()
    const store = createMemoryHibernationStore()
    await store.saveHibernating("actor-a", {
      requestId: idKey(requestId),
      path: "/chat",
      headers: { "x-user": "ada" },
      lastMessageIndex: 5,
    })
    await startWith(v2.version, { handlers: { canHibernate: () => true, ...store } })
    const since = gateway.frames.length
    const { answer } = await gateway.openWebSocket("actor-a")
    expect(answer).toEqual({ tag: "ToServerWebSocketOpen", val: { canHibernate: true } })
    const fresh = gateway.frames.slice(since).find((f) => f.direction === "in" && isOpen(f.bytes))
    expect(openOf(fresh?.bytes)).toEqual({ canHibernate: true, lastMsgIndex: -1n })

    const reopenSince = gateway.frames.length
    gateway.sendTunnel(requestId, {
      tag: "ToClientWebSocketOpen",
      val: { actorId: "actor-a", path: "/chat", headers: new Map([["x-user", "ada"]]) },
    })
    const reopen = await gateway.waitFor(() =>
      gateway.frames.slice(reopenSince).find((f) => f.direction === "in" && isOpen(f.bytes)),
    )
    expect(openOf(reopen.bytes)).toEqual({ canHibernate: true, lastMsgIndex: 5n })
    const restored = log.sockets.at(-1)
    expect(restored?.restored).toBe(true)
    gateway.sendWebSocketMessage(requestId, "five again", { index: 5 })
    gateway.sendWebSocketMessage(requestId, "six", { index: 6 })
    await gateway.barrier()
    expect(log.socketEvents.get(restored!.ws)).toEqual(["message:six"])
  })
})

function isOpen(bytes: Uint8Array): boolean {
  const message = v2.decodeToServer(bytes)
  return (
    message.tag === "ToServerTunnelMessage" &&
    message.val.messageKind.tag === "ToServerWebSocketOpen"
  )
}

function openOf(bytes: Uint8Array | undefined): unknown {
  const message = v2.decodeToServer(bytes ?? new Uint8Array())
  return message.tag === "ToServerTunnelMessage" ? message.val.messageKind.val : undefined
}
