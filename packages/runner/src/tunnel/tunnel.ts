import {
  type CloseRule,
  capabilities,
  createIdMinter,
  idKey,
  type latest,
  RunnerClose,
} from "@tunnelwire/protocol/pinned/v3"
import type { RunnerHandlers } from "../config.js"
import type { FrameCodec } from "../frames.js"
import type { Logger } from "../logger.js"
import { type HibernatingSocket, planRestore } from "./hibernation.js"
import { HttpExchange } from "./http-exchange.js"
import { OutboundTunnel } from "./outbound.js"
import { RecentIds } from "./recent-ids.js"
import { actorUrl, buildRequest, toArrayBuffer } from "./request.js"
import { WebSocketSession } from "./websocket-session.js"

export type ActorPhase = "starting" | "running" | "stopping"

/** What the tunnel needs to know about actors. */
export interface ActorDirectory {
  phase(actorId: string): ActorPhase | undefined
  /** Runs `task` once the actor is no longer starting (running, or failed to start), in order. */
  defer(actorId: string, task: () => void): void
}

export interface TunnelOptions {
  readonly codec: FrameCodec
  readonly handlers: RunnerHandlers
  readonly logger: Logger
  readonly actors: ActorDirectory
  readonly maxBufferedBytes: number
  readonly maxUnsavedMessages: number
  readonly ackTimeoutMs: number
  /** Puts a frame on the wire once the gateway accepted the connection; returns whether it did. */
  readonly transmit: (frame: Uint8Array) => boolean
  /** Puts a frame on the open socket right away: an answer to a message that came over it. */
  readonly reply: (frame: Uint8Array) => boolean
}

/** How many recent gateway message ids are remembered to drop redelivered copies. */
const RECENT_MESSAGE_IDS = 4096
const SERVICE_UNAVAILABLE = 503

interface Owned<T> {
  readonly actorId: string
  readonly value: T
}

/**
 * Tunneled HTTP requests and WebSockets between the gateway and the actors: routes each
 * `ToClientTunnelMessage`, answers it with `TunnelAck`, and sends the runner's tunnel messages
 * through the outbound queue (acknowledged, resent after a reconnect, bounded).
 */
export class Tunnel {
  readonly #options: TunnelOptions
  readonly #version: number
  readonly #outbound: OutboundTunnel
  readonly #recent = new RecentIds(RECENT_MESSAGE_IDS)
  /** One minter for the runner's life, so ids resent after a reconnect never meet new ones. */
  readonly #newMessageId = createIdMinter()
  readonly #sessions = new Map<string, Owned<WebSocketSession>>()
  readonly #exchanges = new Map<string, Owned<HttpExchange>>()
  /** Requests whose messages wait for their actor to finish starting (opened, or to restore). */
  readonly #waiting = new Map<string, string>()
  /** v2: sockets the actor kept, reopened by the gateway with a new `ToClientWebSocketOpen`. */
  readonly #keptForReopen = new Map<string, Map<string, HibernatingSocket>>()

  constructor(options: TunnelOptions) {
    this.#options = options
    this.#version = options.codec.version
    this.#outbound = new OutboundTunnel({
      maxBufferedBytes: options.maxBufferedBytes,
      ackTimeoutMs: options.ackTimeoutMs,
      transmit: (frame) => options.transmit(frame),
      deliveredOnSend: !options.codec.caps.tunnelAck,
      onAckTimeout: (requestKey) => this.#ackTimedOut(requestKey),
    })
  }

  handle(message: latest.ToClientTunnelMessage): void {
    const { requestId, messageId, messageKind } = message
    // v4+ acknowledges nothing but hibernatable messages, and resends only those (the sockets
    // drop them by index), so there is nothing to answer and no message id to remember.
    if (!this.#options.codec.caps.tunnelAck) {
      this.#dispatch(requestId, messageKind)
      return
    }
    const messageKey = idKey(messageId)
    if (messageKind.tag === "TunnelAck") {
      this.#outbound.acknowledge(messageKey)
      return
    }
    this.#sendTunnelAck(requestId, messageId)
    if (!this.#recent.add(messageKey)) return
    this.#dispatch(requestId, messageKind)
  }

  connected(): void {
    this.#outbound.connected()
  }

  disconnected(): void {
    this.#outbound.disconnected()
  }

  /** Times out requests the gateway stopped acknowledging. */
  sweep(): void {
    this.#outbound.sweep()
  }

  /** v3+: messages for these hibernating requests wait until the actor restored them. */
  expectRestore(actorId: string, requestIds: readonly ArrayBuffer[]): void {
    for (const requestId of requestIds) this.#waiting.set(idKey(requestId), actorId)
  }

  /**
   * Called once the actor's start hook resolved, before it is reported running. v3: restores the
   * sockets the gateway kept hibernating and closes what does not match. v2: remembers the kept
   * sockets for the gateway to reopen.
   */
  async restore(actorId: string, requestIds: readonly ArrayBuffer[]): Promise<void> {
    const caps = capabilities(this.#version)
    const load = this.#options.handlers.loadHibernating
    if (!caps.canHibernate) return
    let kept: readonly HibernatingSocket[] = []
    try {
      kept = load === undefined ? [] : await load(actorId)
    } catch (error) {
      this.#options.logger.error({ actorId, err: String(error) }, "loadHibernating failed")
      for (const requestId of requestIds) this.#refuse(requestId, RunnerClose.restoreError)
      return
    }
    if (!caps.restoreHibernatingOnStart) {
      this.#keptForReopen.set(actorId, new Map(kept.map((s) => [s.requestId.toLowerCase(), s])))
      return
    }
    const plan = planRestore(requestIds, kept)
    for (const requestId of plan.missing) {
      this.#refuse(requestId, RunnerClose.metaNotFoundDuringRestore)
    }
    for (const { requestId, socket } of plan.restore) {
      await this.#restoreSocket(actorId, requestId, socket)
    }
    for (const socket of plan.stale) this.#closeStale(actorId, socket)
  }

  /** Resolves once every message the actor's sockets received was delivered and saved. */
  async settle(actorId: string): Promise<void> {
    const sessions = [...this.#sessions.values()].filter(({ actorId: owner }) => owner === actorId)
    await Promise.all(sessions.map(({ value }) => value.settled()))
  }

  /**
   * The actor stops: its sockets leave (hibernate or close with `rule`), its requests abort.
   * Resolves once the hibernating sockets' last saves resolved.
   */
  async closeActor(actorId: string, rule: CloseRule): Promise<void> {
    const leaving: Array<Promise<void>> = []
    for (const { actorId: owner, value } of [...this.#sessions.values()]) {
      if (owner === actorId) leaving.push(value.leave(rule))
    }
    for (const { actorId: owner, value } of [...this.#exchanges.values()]) {
      if (owner === actorId) value.fail()
    }
    this.#keptForReopen.delete(actorId)
    for (const [key, owner] of this.#waiting) if (owner === actorId) this.#waiting.delete(key)
    await Promise.all(leaving)
  }

  /**
   * The runner shuts down: every socket and request still open ends with
   * `RunnerClose.tunnelShutdown`. Resolves once the hibernating sockets' last saves resolved.
   */
  async shutdown(): Promise<void> {
    const leaving = [...this.#sessions.values()].map(({ value }) =>
      value.leave(RunnerClose.tunnelShutdown),
    )
    for (const { value } of [...this.#exchanges.values()]) value.fail()
    this.#waiting.clear()
    this.#keptForReopen.clear()
    await Promise.all(leaving)
  }

  /** Drops everything still waiting for an acknowledgement (after the connection closed for good). */
  clear(): void {
    this.#outbound.clear()
  }

  #dispatch(requestId: ArrayBuffer, kind: latest.ToClientTunnelMessageKind): void {
    const key = idKey(requestId)
    const owner = this.#waiting.get(key)
    if (owner !== undefined) {
      if (this.#options.actors.phase(owner) === "starting") {
        this.#options.actors.defer(owner, () => this.#dispatch(requestId, kind))
        return
      }
      this.#waiting.delete(key)
    }
    const session = this.#sessions.get(key)?.value
    const exchange = this.#exchanges.get(key)?.value
    switch (kind.tag) {
      case "ToClientRequestStart":
        this.#whenRunning(requestId, kind.val.actorId, kind, () => {
          this.#startExchange(requestId, kind.val)
        })
        break
      case "ToClientRequestChunk":
        exchange?.chunk(kind.val)
        break
      case "ToClientRequestAbort":
        exchange?.abortedByGateway()
        break
      case "ToClientWebSocketOpen":
        this.#whenRunning(requestId, kind.val.actorId, kind, () => {
          void this.#openSocket(requestId, kind.val)
        })
        break
      case "ToClientWebSocketMessage":
        if (session === undefined) this.#unknown(key, kind.tag)
        else session.receive(kind.val.index, kind.val.data, kind.val.binary)
        break
      case "ToClientWebSocketClose":
        if (session === undefined) this.#unknown(key, kind.tag)
        else session.closedByGateway(kind.val.code, kind.val.reason)
        break
    }
  }

  /** Runs `open` if the actor runs, waits if it is starting, refuses the request otherwise. */
  #whenRunning(
    requestId: ArrayBuffer,
    actorId: string,
    kind: latest.ToClientTunnelMessageKind,
    open: () => void,
  ): void {
    const phase = this.#options.actors.phase(actorId)
    if (phase === "running") open()
    else if (phase === "starting") {
      this.#waiting.set(idKey(requestId), actorId)
      this.#options.actors.defer(actorId, () => this.#dispatch(requestId, kind))
    } else {
      this.#options.logger.warn({ actorId, request: kind.tag }, "request for an actor not running")
      if (kind.tag === "ToClientWebSocketOpen") this.#refuse(requestId, RunnerClose.actorNotFound)
      else {
        this.#send(requestId, {
          tag: "ToServerResponseStart",
          val: { status: SERVICE_UNAVAILABLE, headers: new Map(), body: null, stream: false },
        })
      }
    }
  }

  #startExchange(requestId: ArrayBuffer, start: latest.ToClientRequestStart): void {
    const key = idKey(requestId)
    const { handlers, logger } = this.#options
    const fetch = handlers.fetch
    const exchange = new HttpExchange({
      send: (kind, payloadBytes) => this.#send(requestId, kind, payloadBytes),
      drained: (bytes) => this.#outbound.drained(key, bytes),
      fetch: fetch === undefined ? undefined : (request) => fetch(start.actorId, request),
      logger,
      ended: () => {
        this.#exchanges.delete(key)
        this.#options.codec.forgetRequest(requestId)
      },
    })
    this.#exchanges.set(key, { actorId: start.actorId, value: exchange })
    exchange.run(start).catch((error: unknown) => {
      logger.error({ err: String(error) }, "tunneled request failed")
      exchange.fail()
    })
  }

  async #openSocket(requestId: ArrayBuffer, open: latest.ToClientWebSocketOpen): Promise<void> {
    const key = idKey(requestId)
    const { actorId } = open
    const existing = this.#sessions.get(key)
    if (existing !== undefined) {
      existing.value.fail(RunnerClose.duplicateOpen)
      return
    }
    const kept = this.#keptForReopen.get(actorId)?.get(key)
    if (kept !== undefined) {
      this.#keptForReopen.get(actorId)?.delete(key)
      const session = await this.#restoreSocket(actorId, requestId, kept)
      if (!session.ended) session.answerReopen()
      return
    }
    const headers = Object.fromEntries(open.headers)
    const session = this.#createSession(actorId, requestId, open.path, headers, null)
    const request = buildRequest(open.path, open.headers)
    const canHibernate = this.#canHibernate(actorId, request)
    const handler = this.#options.handlers.websocket
    try {
      if (handler === undefined) throw new Error("no websocket handler")
      await handler(actorId, session.socket, request, { restored: false })
    } catch (error) {
      this.#options.logger.error({ actorId, err: String(error) }, "websocket handler failed")
      session.fail(RunnerClose.handlerError, error)
      return
    }
    await session.accept(canHibernate)
  }

  async #restoreSocket(
    actorId: string,
    requestId: ArrayBuffer,
    kept: HibernatingSocket,
  ): Promise<WebSocketSession> {
    this.#waiting.delete(idKey(requestId))
    const session = this.#createSession(actorId, requestId, kept.path, kept.headers, kept)
    const handler = this.#options.handlers.websocket
    try {
      if (handler === undefined) throw new Error("no websocket handler")
      const request = buildRequest(kept.path, Object.entries(kept.headers))
      await handler(actorId, session.socket, request, { restored: true })
    } catch (error) {
      this.#options.logger.error({ actorId, err: String(error) }, "restoring a socket failed")
      session.fail(RunnerClose.restoreError, error)
    }
    return session
  }

  /** The actor kept a socket the gateway no longer has: hand it back closed, tell nobody else. */
  #closeStale(actorId: string, kept: HibernatingSocket): void {
    const requestId = toArrayBuffer(Buffer.from(kept.requestId, "hex"))
    const session = this.#createSession(actorId, requestId, kept.path, kept.headers, kept)
    const handler = this.#options.handlers.websocket
    const request = buildRequest(kept.path, Object.entries(kept.headers))
    Promise.resolve()
      .then(() => handler?.(actorId, session.socket, request, { restored: true }))
      .catch((error: unknown) => {
        this.#options.logger.error({ actorId, err: String(error) }, "websocket handler threw")
      })
      .finally(() => session.closeLocally(RunnerClose.staleMetadata))
  }

  #createSession(
    actorId: string,
    requestId: ArrayBuffer,
    path: string,
    headers: Readonly<Record<string, string>>,
    restoredFrom: HibernatingSocket | null,
  ): WebSocketSession {
    const key = idKey(requestId)
    const { handlers, logger, codec } = this.#options
    const { saveHibernating, deleteHibernating } = handlers
    const url = actorUrl(path)
    url.protocol = "ws:"
    const session = new WebSocketSession(
      { requestId: key, url: url.toString(), path, headers, restoredFrom },
      {
        version: this.#version,
        logger,
        maxUnsavedMessages: this.#options.maxUnsavedMessages,
        send: (kind, payloadBytes) => this.#send(requestId, kind, payloadBytes),
        sendOpen: (canHibernate, lastDeliveredIndex) => {
          const ids = { requestId, messageId: this.#newMessageId() }
          const frame = codec.encodeWebSocketOpen(ids, canHibernate, lastDeliveredIndex)
          this.#outbound.enqueue(key, idKey(ids.messageId), frame, 0)
        },
        bufferedAmount: () => this.#outbound.bufferedBytes(key),
        drained: (bytes) => this.#outbound.drained(key, bytes),
        save:
          saveHibernating === undefined
            ? undefined
            : async (socket) => saveHibernating(actorId, socket),
        delete:
          deleteHibernating === undefined ? undefined : async () => deleteHibernating(actorId, key),
        ended: () => {
          if (this.#sessions.get(key)?.value !== session) return
          this.#sessions.delete(key)
          this.#options.codec.forgetRequest(requestId)
        },
      },
    )
    this.#sessions.set(key, { actorId, value: session })
    return session
  }

  #canHibernate(actorId: string, request: Request): boolean {
    if (!capabilities(this.#version).canHibernate) return false
    try {
      return this.#options.handlers.canHibernate?.(actorId, request) ?? false
    } catch (error) {
      this.#options.logger.error({ actorId, err: String(error) }, "canHibernate threw")
      return false
    }
  }

  #ackTimedOut(requestKey: string): void {
    const session = this.#sessions.get(requestKey)
    const exchange = this.#exchanges.get(requestKey)
    if (session === undefined && exchange === undefined) return
    this.#options.logger.warn({ request: requestKey }, "tunnel message not acknowledged in time")
    session?.value.fail(RunnerClose.ackTimeout, new Error(RunnerClose.ackTimeout.purpose))
    exchange?.value.fail()
  }

  #unknown(requestKey: string, tag: string): void {
    this.#options.logger.debug(
      { request: requestKey, message: tag },
      "message for an unknown request",
    )
  }

  #refuse(requestId: ArrayBuffer, rule: CloseRule): void {
    this.#waiting.delete(idKey(requestId))
    this.#send(requestId, {
      tag: "ToServerWebSocketClose",
      val: { code: rule.code, reason: rule.reason, hibernate: false },
    })
  }

  #send(
    requestId: ArrayBuffer,
    messageKind: latest.ToServerTunnelMessageKind,
    payloadBytes = 0,
  ): boolean {
    const messageId = this.#newMessageId()
    const message: latest.ToServer = {
      tag: "ToServerTunnelMessage",
      val: { requestId, messageId, messageKind },
    }
    const frame = this.#options.codec.encode(message)
    return this.#outbound.enqueue(idKey(requestId), idKey(messageId), frame, payloadBytes)
  }

  #sendTunnelAck(requestId: ArrayBuffer, messageId: ArrayBuffer): void {
    const message: latest.ToServer = {
      tag: "ToServerTunnelMessage",
      val: { requestId, messageId, messageKind: { tag: "TunnelAck", val: null } },
    }
    this.#options.reply(this.#options.codec.encode(message))
  }
}
