import { capabilities, idKey, RunnerClose, v2 } from "@tunnelwire/protocol/pinned/v3"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import type { Runner, TunnelWebSocket } from "../src/index.js"
import { FakeGateway, tunnel } from "./support/fake-gateway.js"
import {
  type ActorLog,
  closeLine,
  deferred,
  onWire,
  settle,
  type TestRunnerConfig,
  testRunner,
  versions,
  wire,
} from "./support/harness.js"

describe.each(versions)("tunneled WebSockets over v%i", (version) => {
  const caps = capabilities(version)
  /** The index the gateway sends: v1 has none (always 0 on the wire). */
  const index = (i: number) => (caps.messageIndex ? i : 0)
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

  async function startWith(config: TestRunnerConfig = {}): Promise<void> {
    ;({ runner, log } = testRunner(gateway, version, config))
    await runner.start()
    await gateway.startActor("actor-a")
  }

  async function open(options: { headers?: Record<string, string> } = {}) {
    const { requestId, answer } = await gateway.openWebSocket("actor-a", options)
    const socket = log.sockets.at(-1)
    if (socket === undefined) throw new Error("no socket reached the actor")
    await settle()
    return { requestId, answer, ws: socket.ws, events: log.socketEvents.get(socket.ws) ?? [] }
  }

  it("answers the open once the handler returned, then fires open", async () => {
    let stateInHandler = -1
    await startWith({
      handlers: {
        websocket: (_actorId, ws) => {
          stateInHandler = ws.readyState
          log.sockets.push({ actorId: "actor-a", ws, restored: false })
          log.socketEvents.set(ws, [])
          ws.addEventListener("open", () => log.socketEvents.get(ws)?.push("open"))
        },
      },
    })
    const { requestId, ws, events } = await open()
    await gateway.barrier()
    expect(stateInHandler).toBe(0)
    expect(ws.readyState).toBe(1)
    expect(events).toEqual(["open"])
    expect(gateway.tunnelFrom(requestId).map(wire)).toEqual(
      onWire(version, ["TunnelAck", "Open canHibernate=false"]),
    )
  })

  it("offers hibernation only where the version can say it, from the canHibernate hook", async () => {
    await startWith({
      handlers: { canHibernate: (_actorId, request) => request.url.endsWith("/ws") },
    })
    const { answer } = await open()
    expect(answer).toEqual({
      tag: "ToServerWebSocketOpen",
      val: { canHibernate: caps.canHibernate },
    })
  })

  it("hands the actor a standard Request with the gateway's path and headers", async () => {
    let seen: Request | undefined
    await startWith({
      handlers: {
        websocket: (_actorId, ws, request) => {
          seen = request
          log.sockets.push({ actorId: "actor-a", ws, restored: false })
        },
      },
    })
    await gateway.openWebSocket("actor-a", { headers: { "x-user": "ada" } })
    expect(seen?.method).toBe("GET")
    expect(new URL(seen?.url ?? "").pathname).toBe("/ws")
    expect(seen?.headers.get("x-user")).toBe("ada")
  })

  it("delivers text and binary messages; a socket that cannot hibernate acknowledges none", async () => {
    await startWith()
    const { requestId, events } = await open()
    const since = gateway.frames.length
    gateway.sendWebSocketMessage(requestId, "hello", { index: index(0) })
    gateway.sendWebSocketMessage(requestId, new Uint8Array([1, 2, 3]), { index: index(1) })
    await gateway.barrier()
    expect(events).toEqual(["open", "message:hello", "message:<3B>"])
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(version, ["TunnelAck", "TunnelAck"]),
    )
  })

  it("delivers every message once, in order, from a gateway that numbers like Rivet's (index 0 on a socket that cannot hibernate)", async () => {
    await startWith()
    const { requestId, events } = await open()
    const since = gateway.frames.length
    const sent = Array.from({ length: 50 }, (_, i) => `m${i}`)
    for (const text of sent) gateway.sendWebSocketMessage(requestId, text, { index: 0 })
    await gateway.barrier()
    expect(events).toEqual(["open", ...sent.map((text) => `message:${text}`)])
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(
        version,
        sent.map(() => "TunnelAck"),
      ),
    )
  })

  it("sends the actor's text and binary messages", async () => {
    await startWith()
    const { requestId, ws } = await open()
    const since = gateway.frames.length
    ws.send("hi")
    ws.send(new Uint8Array([9, 8]))
    ws.send(new Uint16Array([1, 2, 3]).buffer)
    await gateway.barrier()
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(version, ["Message hi", "Message <2B>", "Message <6B>"]),
    )
  })

  it("sends exactly the bytes a view shows, not the buffer around them", async () => {
    await startWith()
    const { requestId, ws } = await open()
    const since = gateway.frames.length
    const pool = Buffer.from("--hi--there--")
    ws.send(pool.subarray(2, 4))
    ws.send(new Uint8Array(pool.buffer, pool.byteOffset + 6, 5))
    await gateway.barrier()
    const sent = gateway
      .tunnelFrom(requestId, since)
      .flatMap((kind) =>
        kind.tag === "ToServerWebSocketMessage"
          ? [Buffer.from(kind.val.data).toString("latin1")]
          : [],
      )
    expect(sent).toEqual(["hi", "there"])
  })

  it("client close: fires close on the adapter and echoes nothing back", async () => {
    await startWith()
    const { requestId, ws, events } = await open()
    const since = gateway.frames.length
    gateway.closeWebSocket(requestId, 4000, "bye")
    await gateway.barrier()
    expect(events).toEqual(["open", "close:4000:bye"])
    expect(ws.readyState).toBe(3)
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(onWire(version, ["TunnelAck"]))
  })

  it("client close without a code reports 1005 and echoes nothing back", async () => {
    await startWith()
    const { requestId, events } = await open()
    const since = gateway.frames.length
    gateway.closeWebSocket(requestId, null, null)
    await gateway.barrier()
    expect(events).toEqual(["open", "close:1005:"])
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(onWire(version, ["TunnelAck"]))
  })

  it("actor close: sends the close with hibernate false and fires close locally", async () => {
    await startWith({ handlers: { canHibernate: () => true } })
    const { requestId, ws, events } = await open()
    const since = gateway.frames.length
    ws.close(4001, "done")
    expect(ws.readyState).toBe(2)
    await gateway.barrier()
    expect(events).toEqual(["open", "close:4001:done"])
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(version, [closeLine({ code: 4001, reason: "done", hibernate: false })]),
    )
    if (version === v2.version) {
      const raw = gateway.frames.slice(since).find((f) => f.direction === "in")
      const decoded = v2.decodeToServer(raw?.bytes ?? new Uint8Array())
      expect(decoded).toMatchObject({
        val: { messageKind: { tag: "ToServerWebSocketClose", val: { retry: false } } },
      })
    }
  })

  it("actor close without a code sends no code and reports 1005", async () => {
    await startWith()
    const { requestId, ws, events } = await open()
    const since = gateway.frames.length
    ws.close()
    await gateway.barrier()
    expect(events).toEqual(["open", "close:1005:"])
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(version, [closeLine({ code: null, reason: null })]),
    )
  })

  it.runIf(caps.tunnelAck)(
    "ack timeout: closes with RunnerClose.ackTimeout when the gateway stops acknowledging (v1–v3 only: TunnelAck, which v4+ does not have)",
    async () => {
      await startWith({ ackTimeoutMs: 80 })
      const { requestId, ws, events } = await open()
      gateway.ackTunnel = false
      const since = gateway.frames.length
      ws.send("anyone?")
      await gateway.waitFor(() =>
        events.includes(`close:${RunnerClose.ackTimeout.code}:${RunnerClose.ackTimeout.reason}`),
      )
      gateway.ackTunnel = true
      await gateway.barrier()
      expect(events).toEqual([
        "open",
        "error",
        `close:${RunnerClose.ackTimeout.code}:${RunnerClose.ackTimeout.reason}`,
      ])
      expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
        onWire(version, ["Message anyone?", closeLine(RunnerClose.ackTimeout)]),
      )
    },
  )

  it.runIf(caps.tunnelAck)(
    "keeps a socket whose gateway paces acknowledgements to a slow client, though each waits past the ack timeout (v1–v3 only: TunnelAck, which v4+ does not have)",
    async () => {
      await startWith({ ackTimeoutMs: 1_000 })
      const { requestId, ws, events } = await open()
      gateway.ackTunnel = false
      const since = gateway.frames.length
      for (let i = 0; i < 8; i++) ws.send(`m${i}`)
      const sent = await gateway.waitFor(() => {
        const frames = gateway.received(since)
        return frames.length === 8 ? frames : undefined
      })
      // One acknowledgement every 250 ms: the last message waits 2 s, twice the ack timeout.
      for (const message of sent) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        if (message.tag !== "ToServerTunnelMessage") continue
        gateway.send(tunnel(requestId, { tag: "TunnelAck", val: null }, message.val.messageId))
      }
      await gateway.barrier()
      expect(events).toEqual(["open"])
      expect(ws.bufferedAmount).toBe(0)
    },
  )

  it.runIf(caps.tunnelAck)(
    "counts unacknowledged bytes in bufferedAmount until the gateway's TunnelAck (v1–v3 only: TunnelAck, which v4+ does not have)",
    async () => {
      await startWith()
      const { requestId, ws } = await open()
      gateway.ackTunnel = false
      const since = gateway.frames.length
      ws.send("12345")
      ws.send(new Uint8Array(3))
      expect(ws.bufferedAmount).toBe(8)
      const sent = await gateway.waitFor(() => {
        const frames = gateway.received(since)
        return frames.length === 2 ? frames : undefined
      })
      for (const message of sent) {
        if (message.tag !== "ToServerTunnelMessage") continue
        gateway.send(tunnel(requestId, { tag: "TunnelAck", val: null }, message.val.messageId))
      }
      await gateway.barrier()
      expect(ws.bufferedAmount).toBe(0)
    },
  )

  // v4+: nothing waits for an acknowledgement, so bufferedAmount is what waits for a connection.
  it.runIf(!caps.tunnelAck)(
    "counts bytes held while disconnected in bufferedAmount and fires bufferedamountlow once the reconnect sent them",
    async () => {
      let attempt: (() => void) | null = null
      await startWith({
        scheduleReconnect: (run) => {
          attempt = run
          return () => {}
        },
      })
      const { requestId, ws } = await open()
      const lows: number[] = []
      ws.onbufferedamountlow = () => lows.push(ws.bufferedAmount)
      ws.send("sent at once")
      expect(ws.bufferedAmount).toBe(0)
      const since = gateway.frames.length
      gateway.drop()
      await vi.waitFor(() => expect(attempt).not.toBeNull())
      ws.send("12345")
      ws.send(new Uint8Array(3))
      expect(ws.bufferedAmount).toBe(8)
      ;(attempt as unknown as () => void)()
      await gateway.waitForReady(2)
      await gateway.waitFor(() => gateway.tunnelFrom(requestId, since).length === 2)
      await gateway.barrier()
      expect(ws.bufferedAmount).toBe(0)
      expect(lows).toEqual([0])
    },
  )

  it.runIf(caps.tunnelAck)(
    "fires bufferedamountlow once the gateway's acknowledgements bring bufferedAmount down (v1–v3 only: TunnelAck, which v4+ does not have)",
    async () => {
      await startWith()
      const { requestId, ws } = await open()
      const lows: number[] = []
      ws.onbufferedamountlow = () => lows.push(ws.bufferedAmount)
      ws.bufferedAmountLowThreshold = 4
      gateway.ackTunnel = false
      const since = gateway.frames.length
      ws.send("12345")
      ws.send("678")
      const sent = await gateway.waitFor(() => {
        const frames = gateway.received(since)
        return frames.length === 2 ? frames : undefined
      })
      const ids = sent.flatMap((m) => (m.tag === "ToServerTunnelMessage" ? [m.val.messageId] : []))
      gateway.send(tunnel(requestId, { tag: "TunnelAck", val: null }, ids[0]))
      await gateway.barrier()
      expect(lows).toEqual([3])
      gateway.send(tunnel(requestId, { tag: "TunnelAck", val: null }, ids[1]))
      await gateway.barrier()
      expect(lows).toEqual([3])
    },
  )

  // v4+ has no TunnelAck, so nothing tells the runner that a frame written to a connection it has
  // not yet seen die was lost: it holds only what the actor sends once it knows (as Rivet's runner).
  it.runIf(!caps.tunnelAck)(
    "holds what the actor sends while it knows it is disconnected and sends it in order after reconnect",
    async () => {
      let attempt: (() => void) | null = null
      await startWith({
        scheduleReconnect: (run) => {
          attempt = run
          return () => {}
        },
      })
      const { requestId, ws } = await open()
      const since = gateway.frames.length
      gateway.drop()
      await vi.waitFor(() => expect(attempt).not.toBeNull())
      for (const word of ["one", "two", "three"]) ws.send(word)
      ;(attempt as unknown as () => void)()
      await gateway.waitForConnection(2)
      await gateway.waitFor(() => delivered(gateway, requestId, since).length === 3)
      expect(delivered(gateway, requestId, since)).toEqual(["one", "two", "three"])
      const afterReconnect = gateway.frames
        .slice(since)
        .filter((f) => f.direction === "in" && f.connection === 1)
      expect(afterReconnect.length).toBeGreaterThan(0)
    },
  )

  it.runIf(caps.tunnelAck)(
    "holds the actor's messages while disconnected and sends them in order after reconnect (v1–v3 only: TunnelAck, which v4+ does not have)",
    async () => {
      await startWith()
      const { requestId, ws } = await open()
      const since = gateway.frames.length
      gateway.drop()
      for (const word of ["one", "two", "three"]) ws.send(word)
      await gateway.waitForConnection(2)
      await gateway.waitFor(() => delivered(gateway, requestId, since).length === 3)
      expect(delivered(gateway, requestId, since)).toEqual(["one", "two", "three"])
      const afterReconnect = gateway.frames
        .slice(since)
        .filter((f) => f.direction === "in" && f.connection === 1)
      expect(afterReconnect.length).toBeGreaterThan(0)
    },
  )

  it.runIf(caps.tunnelAck)(
    "closes with RunnerClose.outboundBufferFull when the actor sends past the bound (v1–v3 only: TunnelAck, which v4+ does not have)",
    async () => {
      await startWith({ maxBufferedBytes: 10 })
      const { requestId, ws, events } = await open()
      gateway.ackTunnel = false
      const since = gateway.frames.length
      ws.send("12345678")
      ws.send("too much")
      await gateway.waitFor(() => events.length === 3)
      gateway.ackTunnel = true
      await gateway.barrier()
      const { code, reason } = RunnerClose.outboundBufferFull
      expect(events).toEqual(["open", "error", `close:${code}:${reason}`])
      expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
        onWire(version, ["Message 12345678", closeLine(RunnerClose.outboundBufferFull)]),
      )
    },
  )

  // v4+: the bound holds what waits for a connection (nothing waits for an acknowledgement).
  it.runIf(!caps.tunnelAck)(
    "closes with RunnerClose.outboundBufferFull when the actor sends past the bound while disconnected",
    async () => {
      let attempt: (() => void) | null = null
      await startWith({
        maxBufferedBytes: 10,
        scheduleReconnect: (run) => {
          attempt = run
          return () => {}
        },
      })
      const { requestId, ws, events } = await open()
      const since = gateway.frames.length
      gateway.drop()
      await vi.waitFor(() => expect(attempt).not.toBeNull())
      ws.send("12345678")
      ws.send("too much")
      const { code, reason } = RunnerClose.outboundBufferFull
      await vi.waitFor(() => expect(events).toEqual(["open", "error", `close:${code}:${reason}`]))
      ;(attempt as unknown as () => void)()
      await gateway.waitForReady(2)
      await gateway.waitFor(() => gateway.tunnelFrom(requestId, since).length === 2)
      await gateway.barrier()
      expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual([
        "Message 12345678",
        closeLine(RunnerClose.outboundBufferFull),
      ])
    },
  )

  it("refuses a socket whose handler throws with RunnerClose.handlerError", async () => {
    await startWith({
      handlers: {
        websocket: () => {
          throw new Error("not today")
        },
      },
    })
    const { requestId, answer } = await gateway.openWebSocket("actor-a")
    await gateway.barrier()
    expect(answer).toMatchObject({ tag: "ToServerWebSocketClose" })
    expect(gateway.tunnelFrom(requestId).map(wire)).toEqual(
      onWire(version, ["TunnelAck", closeLine(RunnerClose.handlerError)]),
    )
  })

  it("refuses a socket to an actor it does not run with RunnerClose.actorNotFound", async () => {
    await startWith()
    const { requestId } = await gateway.openWebSocket("actor-unknown")
    await gateway.barrier()
    expect(gateway.tunnelFrom(requestId).map(wire)).toEqual(
      onWire(version, ["TunnelAck", closeLine(RunnerClose.actorNotFound)]),
    )
  })

  it("closes a request id opened twice with RunnerClose.duplicateOpen", async () => {
    await startWith()
    const { requestId, events } = await open()
    const since = gateway.frames.length
    gateway.sendTunnel(requestId, {
      tag: "ToClientWebSocketOpen",
      val: { actorId: "actor-a", path: "/ws", headers: new Map() },
    })
    await gateway.barrier()
    const { code, reason } = RunnerClose.duplicateOpen
    expect(events).toEqual(["open", `close:${code}:${reason}`])
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
      onWire(version, ["TunnelAck", closeLine(RunnerClose.duplicateOpen)]),
    )
  })

  it.runIf(caps.tunnelAck)(
    "delivers a message sent twice under the same message id once, and acknowledges each copy (v1–v3 only: TunnelAck, which v4+ does not have)",
    async () => {
      await startWith()
      const { requestId, events } = await open()
      const since = gateway.frames.length
      const messageId = gateway.sendTunnel(requestId, {
        tag: "ToClientWebSocketMessage",
        val: { index: index(0), data: new TextEncoder().encode("once").buffer, binary: false },
      })
      gateway.send(
        tunnel(
          requestId,
          {
            tag: "ToClientWebSocketMessage",
            val: { index: index(0), data: new TextEncoder().encode("once").buffer, binary: false },
          },
          messageId,
        ),
      )
      await gateway.barrier()
      expect(events).toEqual(["open", "message:once"])
      const acks = gateway
        .received(since)
        .filter(
          (m) =>
            m.tag === "ToServerTunnelMessage" &&
            m.val.messageKind.tag === "TunnelAck" &&
            idKey(m.val.messageId) === idKey(messageId),
        )
      expect(acks, "a TunnelAck for each copy").toHaveLength(2)
    },
  )

  it("opens a socket that arrives while its actor starts once the actor runs", async () => {
    const release = deferred()
    ;({ runner, log } = testRunner(gateway, version, {
      handlers: { onActorStart: () => release.promise },
    }))
    await runner.start()
    const since = gateway.frames.length
    const running = gateway.startActor("actor-b")
    const opened = gateway.openWebSocket("actor-b")
    await gateway.barrier()
    expect(log.sockets).toEqual([])
    release.resolve()
    await running
    const { requestId } = await opened
    const order = gateway.received(since).flatMap((m) => {
      if (m.tag === "ToServerEvents") return ["Running"]
      if (m.tag === "ToServerTunnelMessage" && idKey(m.val.requestId) === idKey(requestId)) {
        return [wire(m.val.messageKind)]
      }
      return []
    })
    expect(order).toEqual(onWire(version, ["TunnelAck", "Running", "Open canHibernate=false"]))
  })

  if (caps.messageIndex) {
    it("drops a repeated index as a duplicate and acknowledges it again", async () => {
      await startWith({ handlers: { canHibernate: () => true } })
      const { requestId, events } = await open()
      const since = gateway.frames.length
      gateway.sendWebSocketMessage(requestId, "a", { index: 0 })
      gateway.sendWebSocketMessage(requestId, "a again", { index: 0 })
      gateway.sendWebSocketMessage(requestId, "b", { index: 1 })
      await gateway.barrier()
      expect(events).toEqual(["open", "message:a", "message:b"])
      expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
        onWire(version, [
          "TunnelAck",
          "MessageAck 0",
          "TunnelAck",
          "MessageAck 0",
          "TunnelAck",
          "MessageAck 1",
        ]),
      )
    })

    it("index skip: closes a hibernatable socket with RunnerClose.messageIndexSkip", async () => {
      await startWith({ handlers: { canHibernate: () => true } })
      const { requestId, events } = await open()
      const since = gateway.frames.length
      gateway.sendWebSocketMessage(requestId, "a", { index: 0 })
      gateway.sendWebSocketMessage(requestId, "c", { index: 2 })
      await gateway.barrier()
      const { code, reason } = RunnerClose.messageIndexSkip
      expect(events).toEqual(["open", "message:a", `close:${code}:${reason}`])
      expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(
        onWire(version, [
          "TunnelAck",
          "MessageAck 0",
          "TunnelAck",
          closeLine(RunnerClose.messageIndexSkip),
        ]),
      )
    })

    it("ignores indexes on a socket that cannot hibernate: a skip or a repeat is delivered", async () => {
      await startWith()
      const { requestId, events } = await open()
      gateway.sendWebSocketMessage(requestId, "a", { index: 0 })
      gateway.sendWebSocketMessage(requestId, "c", { index: 2 })
      gateway.sendWebSocketMessage(requestId, "c again", { index: 2 })
      await gateway.barrier()
      expect(events).toEqual(["open", "message:a", "message:c", "message:c again"])
    })

    it("continues across the u16 wrap from 65535 to 0", async () => {
      await startWith({ handlers: { canHibernate: () => true } })
      const { requestId, events } = await open()
      gateway.sendWebSocketMessage(requestId, "last", { index: 65535 })
      gateway.sendWebSocketMessage(requestId, "first", { index: 0 })
      await gateway.barrier()
      expect(events).toEqual(["open", "message:last", "message:first"])
    })
  }
})

function delivered(gateway: FakeGateway, requestId: ArrayBuffer, since: number): string[] {
  const seen = new Set<string>()
  const texts: string[] = []
  for (const frame of gateway.frames.slice(since)) {
    const message = frame.message
    if (frame.direction !== "in" || message.tag !== "ToServerTunnelMessage") continue
    const { messageKind, messageId } = message.val
    if (idKey(message.val.requestId) !== idKey(requestId)) continue
    if (messageKind.tag !== "ToServerWebSocketMessage" || seen.has(idKey(messageId))) continue
    seen.add(idKey(messageId))
    texts.push(new TextDecoder().decode(messageKind.val.data))
  }
  return texts
}

export type { TunnelWebSocket }
