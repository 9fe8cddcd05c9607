import { CloseCode, type latest, RunnerClose } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { silentLogger } from "../src/logger.js"
import type { HibernatingSocket } from "../src/tunnel/hibernation.js"
import type { TunnelCloseEvent, TunnelErrorEvent } from "../src/tunnel/websocket-events.js"
import { type SessionDeps, WebSocketSession } from "../src/tunnel/websocket-session.js"

interface PendingSave {
  readonly index: number | null
  resolve(): void
  reject(error: Error): void
}

interface Options {
  readonly version?: number
  readonly maxUnsavedMessages?: number
  /** Without a save hook, as a runner whose handlers keep no hibernation metadata. */
  readonly withSave?: boolean
  readonly restoredFrom?: HibernatingSocket | null
  /** `send` reports a full outbound buffer. */
  readonly full?: boolean
  /** `deleteHibernating` fails. */
  readonly deleteFails?: boolean
}

const text = (value: string) => new TextEncoder().encode(value).buffer

/** A session whose every effect is recorded: frames sent, saves (resolved by the test), events. */
function session(options: Options = {}) {
  const wire: string[] = []
  const opens: Array<[boolean, number | null]> = []
  const saves: PendingSave[] = []
  const errors: string[] = []
  const counts = { ended: 0, deleted: 0 }
  const deps: SessionDeps = {
    version: options.version ?? 7,
    logger: {
      ...silentLogger,
      error: (fields, message) => {
        errors.push(`${message}: ${(fields as { err?: string }).err}`)
      },
    },
    maxUnsavedMessages: options.maxUnsavedMessages ?? 2,
    send: (kind: latest.ToServerTunnelMessageKind) => {
      if (options.full === true) return false
      if (kind.tag === "ToServerWebSocketMessageAck") wire.push(`ack ${kind.val.index}`)
      else if (kind.tag === "ToServerWebSocketClose")
        wire.push(`close ${kind.val.code} ${kind.val.reason} ${kind.val.hibernate}`)
      else if (kind.tag === "ToServerWebSocketMessage")
        wire.push(`message ${new TextDecoder().decode(kind.val.data)} ${kind.val.binary}`)
      else wire.push(kind.tag)
      return true
    },
    sendOpen: (canHibernate, last) => {
      opens.push([canHibernate, last])
    },
    bufferedAmount: () => 7,
    drained: async () => {},
    save:
      options.withSave === false
        ? undefined
        : (socket) =>
            new Promise<void>((resolve, reject) => {
              saves.push({ index: socket.lastMessageIndex, resolve, reject })
            }),
    delete: async () => {
      counts.deleted++
      if (options.deleteFails === true) throw new Error("gone")
    },
    ended: () => {
      counts.ended++
    },
  }
  const s = new WebSocketSession(
    {
      requestId: "0123",
      url: "ws://actor/ws",
      path: "/ws",
      headers: { a: "b" },
      restoredFrom: options.restoredFrom ?? null,
    },
    deps,
  )
  const events: string[] = []
  s.socket.addEventListener("open", () => events.push("open"))
  s.socket.addEventListener("message", (event) => {
    const data = (event as MessageEvent).data as Buffer | string
    events.push(`message ${data.toString()}`)
  })
  s.socket.addEventListener("error", (event) => {
    events.push(`error ${(event as TunnelErrorEvent).message}`)
  })
  s.socket.addEventListener("close", (event) => {
    const close = event as TunnelCloseEvent
    events.push(`close ${close.code} ${close.reason} hibernating=${close.hibernating}`)
  })
  const receive = (...indexes: number[]) => {
    for (const index of indexes) s.receive(index, text(`m${index}`), true)
  }
  /** Resolves the oldest pending save and lets the session run on. */
  const saved = async () => {
    saves.shift()!.resolve()
    await flush()
  }
  return { s, wire, opens, saves, errors, events, counts, receive, saved }
}

const flush = () => new Promise((resolve) => setImmediate(resolve))

async function accepted(options: Options = {}) {
  const t = session(options)
  const accepting = t.s.accept(true)
  if (options.withSave !== false) {
    expect(t.saves.map((save) => save.index)).toEqual([null])
    await t.saved()
  }
  await accepting
  return t
}

describe("a hibernatable tunneled WebSocket on the runner", () => {
  it("saves its metadata before answering the open, then opens", async () => {
    const t = session()
    const accepting = t.s.accept(true)
    await flush()
    expect(t.opens).toEqual([])
    expect(t.events).toEqual([])
    await t.saved()
    await accepting
    expect(t.opens).toEqual([[true, null]])
    expect(t.events).toEqual(["open"])
  })

  it("opens even when the first save fails, and logs the failure", async () => {
    const t = session()
    const accepting = t.s.accept(true)
    t.saves.shift()!.reject(new Error("disk full"))
    await accepting
    expect(t.opens).toEqual([[true, null]])
    expect(t.errors).toEqual(["saveHibernating failed on open: Error: disk full"])
  })

  it("delivers at most the unsaved window ahead of a save, and acknowledges each message only once the save covering it resolved", async () => {
    const t = await accepted({ maxUnsavedMessages: 2 })
    t.receive(0, 1, 2)
    expect(t.events).toEqual(["open", "message m0", "message m1"])
    expect(t.saves.map((save) => save.index)).toEqual([0])
    expect(t.wire).toEqual([])
    await t.saved()
    expect(t.wire).toEqual(["ack 0"])
    expect(t.events.at(-1)).toBe("message m2")
    expect(t.saves.map((save) => save.index)).toEqual([2])
    await t.saved()
    expect(t.wire).toEqual(["ack 0", "ack 1", "ack 2"])
    expect(t.saves).toEqual([])
  })

  it("covers every message delivered before a save began with that save", async () => {
    const t = await accepted({ maxUnsavedMessages: 3 })
    t.receive(0)
    t.receive(1, 2)
    expect(t.saves.map((save) => save.index)).toEqual([0])
    await t.saved()
    expect(t.wire).toEqual(["ack 0"])
    expect(t.saves.map((save) => save.index)).toEqual([2])
    await t.saved()
    expect(t.wire).toEqual(["ack 0", "ack 1", "ack 2"])
    await t.s.settled()
  })

  it("acknowledges a repeat of a saved message again without delivering it, and a repeat not yet saved not at all", async () => {
    const t = await accepted({ maxUnsavedMessages: 1 })
    t.receive(0)
    await t.saved()
    t.receive(1)
    expect(t.wire).toEqual(["ack 0"])
    t.receive(0, 1)
    expect(t.wire).toEqual(["ack 0", "ack 0"])
    expect(t.events).toEqual(["open", "message m0", "message m1"])
    await t.saved()
    t.receive(1)
    expect(t.wire).toEqual(["ack 0", "ack 0", "ack 1", "ack 1"])
  })

  it("closes with the skip rule when an index is skipped", async () => {
    const t = await accepted()
    t.receive(0, 2)
    const rule = RunnerClose.messageIndexSkip
    expect(t.wire).toEqual([`close ${rule.code} ${rule.reason} false`])
    expect(t.events.at(-1)).toBe(`close ${rule.code} ${rule.reason} hibernating=false`)
    expect(t.counts).toEqual({ ended: 1, deleted: 1 })
    t.receive(1)
    expect(t.events).toEqual([
      "open",
      "message m0",
      `close ${rule.code} ${rule.reason} hibernating=false`,
    ])
  })

  it("leaves a failed save's messages unacknowledged, for the gateway to replay", async () => {
    const t = await accepted({ maxUnsavedMessages: 2 })
    t.receive(0)
    t.saves.shift()!.reject(new Error("disk full"))
    await flush()
    await t.s.settled()
    expect(t.wire).toEqual([])
    expect(t.errors).toEqual(["saveHibernating failed: Error: disk full"])
  })

  it("hibernates on leave only after the save in flight resolved, and neither delivers nor acknowledges what waited beyond the window", async () => {
    const t = await accepted({ maxUnsavedMessages: 1 })
    t.receive(0, 1)
    expect(t.events).toEqual(["open", "message m0"])
    const rule = RunnerClose.actorStopped
    let left = false
    const leaving = t.s.leave(rule).then(() => {
      left = true
    })
    expect(t.s.leave(rule)).toStrictEqual(t.s.leave(rule))
    await flush()
    expect(left).toBe(false)
    expect(t.s.ended).toBe(false)
    await t.saved()
    await leaving
    expect(t.wire).toEqual(["ack 0"])
    expect(t.events).toEqual([
      "open",
      "message m0",
      `close ${rule.code} ${rule.reason} hibernating=true`,
    ])
    expect(t.saves).toEqual([])
    // Kept for the next runner: its metadata is not deleted.
    expect(t.counts).toEqual({ ended: 1, deleted: 0 })
    expect(t.s.ended).toBe(true)
    t.receive(1)
    expect(t.events).toHaveLength(3)
  })

  it("neither delivers nor acknowledges a message that arrives while it leaves", async () => {
    // Room in the window for it: only the leave keeps it out.
    const t = await accepted({ maxUnsavedMessages: 2 })
    t.receive(0)
    const leaving = t.s.leave(RunnerClose.actorStopped)
    t.receive(1)
    await t.saved()
    await leaving
    expect(t.events.filter((e) => e.startsWith("message"))).toEqual(["message m0"])
    expect(t.wire).toEqual(["ack 0"])
  })

  it("does not acknowledge a repeat of the first message before any save resolved", async () => {
    const t = await accepted({ maxUnsavedMessages: 2 })
    t.receive(0, 0)
    expect(t.wire).toEqual([])
    await t.saved()
    expect(t.wire).toEqual(["ack 0"])
  })

  it("keeps no metadata to delete for a socket closed before the actor accepted it", () => {
    const t = session()
    t.s.closedByGateway(1000, "bye")
    expect(t.counts).toEqual({ ended: 1, deleted: 0 })
  })

  it("reports the actor's buffered amount as the tunnel counts it", async () => {
    const t = await accepted()
    expect(t.s.socket.bufferedAmount).toBe(7)
  })

  it("logs a failed delete of the metadata when it closes for good", async () => {
    const t = await accepted({ deleteFails: true })
    t.s.closedByGateway(1000, "bye")
    await flush()
    expect(t.errors).toEqual(["deleteHibernating failed: Error: gone"])
  })

  it("closes a socket that may not hibernate on leave, telling the gateway", async () => {
    const t = session()
    await t.s.accept(false)
    expect(t.opens).toEqual([[false, null]])
    expect(t.saves).toEqual([])
    const rule = RunnerClose.actorStopped
    await t.s.leave(rule)
    expect(t.wire).toEqual([`close ${rule.code} ${rule.reason} false`])
    expect(t.events).toEqual(["open", `close ${rule.code} ${rule.reason} hibernating=false`])
    expect(t.counts).toEqual({ ended: 1, deleted: 0 })
    await t.s.leave(rule)
    expect(t.wire).toHaveLength(1)
  })

  it("on a version without hibernation, delivers every message unchecked and acknowledges none", async () => {
    const t = session({ version: 1, withSave: false })
    await t.s.accept(true)
    expect(t.s.hibernatable).toBe(true)
    t.receive(0, 0, 5)
    expect(t.events).toEqual(["open", "message m0", "message m0", "message m5"])
    expect(t.wire).toEqual([])
  })

  it("without a save hook, delivers and acknowledges each message at once", async () => {
    const t = await accepted({ withSave: false })
    t.receive(0, 1, 1)
    expect(t.events).toEqual(["open", "message m0", "message m1"])
    expect(t.wire).toEqual(["ack 0", "ack 1", "ack 1"])
  })

  it("holds messages that arrive before the open and delivers them after it, in order", async () => {
    const t = session({ withSave: false })
    t.receive(0, 1)
    expect(t.events).toEqual([])
    await t.s.accept(true)
    expect(t.events).toEqual(["open", "message m0", "message m1"])
    expect(t.wire).toEqual(["ack 0", "ack 1"])
  })

  it("drops held messages of a socket closed before it opened", async () => {
    const t = session()
    t.receive(0)
    const accepting = t.s.accept(true)
    t.s.closedByGateway(1000, "bye")
    await t.saved()
    await accepting
    expect(t.opens).toEqual([])
    expect(t.events).toEqual(["close 1000 bye hibernating=false"])
  })
})

describe("a restored tunneled WebSocket", () => {
  const restoredFrom: HibernatingSocket = {
    requestId: "0123",
    path: "/ws",
    headers: {},
    lastMessageIndex: 4,
  }

  it("starts open, continues after the kept index and acknowledges a repeat of it", async () => {
    const t = session({ restoredFrom, withSave: false })
    expect(t.s.socket.readyState).toBe(t.s.socket.OPEN)
    expect(t.s.hibernatable).toBe(true)
    t.receive(4, 5)
    expect(t.events).toEqual(["message m5"])
    expect(t.wire).toEqual(["ack 4", "ack 5"])
    t.s.answerReopen()
    expect(t.opens).toEqual([[true, 5]])
  })

  it("closes with the skip rule when the gateway resumes past the kept index", () => {
    const t = session({ restoredFrom, withSave: false })
    t.receive(6)
    expect(t.events).toEqual([
      `close ${RunnerClose.messageIndexSkip.code} ${RunnerClose.messageIndexSkip.reason} hibernating=false`,
    ])
  })
})

describe("closing a tunneled WebSocket", () => {
  it("fires close with the gateway's code and reason, sends nothing and deletes the metadata", async () => {
    const t = await accepted()
    t.s.closedByGateway(4000, "gone")
    t.s.closedByGateway(4001, "again")
    expect(t.events).toEqual(["open", "close 4000 gone hibernating=false"])
    expect(t.wire).toEqual([])
    expect(t.counts).toEqual({ ended: 1, deleted: 1 })
  })

  it("reports a gateway close without a code as 1005 with an empty reason", async () => {
    const t = await accepted()
    t.s.closedByGateway(null, null)
    expect(t.events.at(-1)).toBe(`close ${CloseCode.noStatusReceived}  hibernating=false`)
  })

  it("fires error then close on a failure with an error, and sends the close once", async () => {
    const t = await accepted()
    const rule = RunnerClose.outboundBufferFull
    t.s.fail(rule, new Error("full"))
    t.s.fail(rule)
    t.s.closeLocally(rule)
    expect(t.events).toEqual([
      "open",
      "error full",
      `close ${rule.code} ${rule.reason} hibernating=false`,
    ])
    expect(t.wire).toEqual([`close ${rule.code} ${rule.reason} false`])
  })

  it("closes locally without telling the gateway", async () => {
    const t = await accepted()
    t.s.closeLocally(RunnerClose.staleMetadata)
    expect(t.wire).toEqual([])
    expect(t.events.at(-1)).toBe(
      `close ${RunnerClose.staleMetadata.code} ${RunnerClose.staleMetadata.reason} hibernating=false`,
    )
    expect(t.counts).toEqual({ ended: 1, deleted: 1 })
  })

  it("sends the actor's own close with its code and reason, once", async () => {
    const t = await accepted()
    t.s.socket.close(4002, "done")
    t.s.socket.close(4003, "again")
    await flush()
    expect(t.wire).toEqual(["close 4002 done false"])
    expect(t.s.ended).toBe(true)
    expect(t.counts).toEqual({ ended: 1, deleted: 1 })
  })

  it("sends the actor's messages, and closes the socket when the outbound buffer is full", async () => {
    const t = await accepted()
    t.s.socket.send("hi")
    expect(t.wire).toEqual(["message hi false"])
    const full = await accepted({ full: true })
    full.s.socket.send("hi")
    expect(full.events).toEqual(["open"])
    await flush()
    const rule = RunnerClose.outboundBufferFull
    expect(full.events).toEqual([
      "open",
      `error ${rule.purpose}`,
      `close ${rule.code} ${rule.reason} hibernating=false`,
    ])
  })
})
