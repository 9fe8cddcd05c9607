import {
  CloseCode,
  type CloseRule,
  classifyIndex,
  isNewerIndex,
  keepsSocketWhileActorAway,
  type latest,
  numbersMessages,
  RunnerClose,
} from "@tunnelwire/protocol/pinned/v3"
import type { Logger } from "../logger.js"
import type { HibernatingSocket } from "./hibernation.js"
import { viewedData } from "./request.js"
import { TunnelWebSocket, type WebSocketControl } from "./websocket.js"

export interface SessionDeps {
  readonly version: number
  readonly logger: Logger
  /** Messages a hibernatable socket delivers ahead of the save that covers them (at least 1). */
  readonly maxUnsavedMessages: number
  /** Sends a tunnel message for this socket; `false` when the outbound buffer is full. */
  send(kind: latest.ToServerTunnelMessageKind, payloadBytes?: number): boolean
  /** Sends the open answer (with `lastMsgIndex` where the version carries it). */
  sendOpen(canHibernate: boolean, lastDeliveredIndex: number | null): void
  bufferedAmount(): number
  /** Resolves once at most `bytes` of this socket's data await the gateway's acknowledgement. */
  drained(bytes: number): Promise<void>
  save: ((socket: HibernatingSocket) => Promise<void>) | undefined
  delete: (() => Promise<void>) | undefined
  /** The socket is over for this runner: forget it. */
  ended(): void
}

export interface SessionInit {
  readonly requestId: string
  readonly url: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /** Restored sockets start open, from the index the actor kept. */
  readonly restoredFrom: HibernatingSocket | null
}

interface InboundMessage {
  readonly index: number
  readonly data: ArrayBuffer
  readonly binary: boolean
}

/**
 * The runner's side of one tunneled WebSocket: the adapter the actor holds, and the delivery of
 * the gateway's messages to it.
 *
 * The gateway numbers messages only on sockets that can hibernate (Rivet's sends index 0 on every
 * other socket), so indexes are checked and acknowledged only there. A hibernatable socket with a
 * `save` hook delivers at most `maxUnsavedMessages` messages ahead of the save that covers them,
 * and acknowledges a message only once that save resolved: the gateway never forgets a message
 * the actor could not resume after, and a crash replays at most `maxUnsavedMessages` messages the
 * actor already saw. Saves are serialised; each covers every message delivered before it began.
 */
export class WebSocketSession {
  readonly socket: TunnelWebSocket
  readonly #deps: SessionDeps
  readonly #init: SessionInit
  readonly #control: WebSocketControl
  #hibernatable: boolean
  /** Last index accepted in order (delivered or waiting to be), for the index checks. */
  #lastReceived: number | null
  #lastDelivered: number | null
  /** Last index a resolved save covers: a repeat of it or an older one is acknowledged again. */
  #lastSaved: number | null
  /** Accepted messages waiting for room in the unsaved window. */
  #waiting: InboundMessage[] = []
  /** Delivered indexes waiting for the save that covers them, then acknowledged; oldest first. */
  #unsaved: number[] = []
  #saving: Promise<void> | null = null
  #leaving: Promise<void> | null = null
  #early: InboundMessage[] | null = []
  #ended = false

  constructor(init: SessionInit, deps: SessionDeps) {
    this.#init = init
    this.#deps = deps
    this.#hibernatable = init.restoredFrom !== null
    this.#lastDelivered = init.restoredFrom?.lastMessageIndex ?? null
    this.#lastReceived = this.#lastDelivered
    this.#lastSaved = this.#lastDelivered
    let control: WebSocketControl | undefined
    this.socket = new TunnelWebSocket(
      {
        url: init.url,
        requestId: init.requestId,
        restored: init.restoredFrom !== null,
        sink: {
          send: (data, binary) => this.#sendFromActor(data, binary),
          close: (code, reason) => this.#closeFromActor(code, reason),
          bufferedAmount: () => deps.bufferedAmount(),
          drained: (bytes) => deps.drained(bytes),
        },
      },
      (bound) => {
        control = bound
      },
    )
    this.#control = control!
    if (init.restoredFrom !== null) this.#early = null
  }

  get ended(): boolean {
    return this.#ended
  }

  get hibernatable(): boolean {
    return this.#hibernatable
  }

  /** The actor accepted the socket: keep its metadata if it may hibernate, answer, fire open. */
  async accept(canHibernate: boolean): Promise<void> {
    this.#hibernatable = canHibernate
    if (canHibernate && this.#deps.save !== undefined) {
      try {
        await this.#deps.save(this.#snapshot(null))
      } catch (error) {
        this.#deps.logger.error({ err: String(error) }, "saveHibernating failed on open")
      }
    }
    if (this.#ended) return
    this.#deps.sendOpen(canHibernate, null)
    this.#control.open()
    const early = this.#early ?? []
    this.#early = null
    for (const message of early) this.receive(message.index, message.data, message.binary)
  }

  /** Answers a v2 reopen of a restored socket with the last index the actor kept. */
  answerReopen(): void {
    this.#deps.sendOpen(true, this.#lastDelivered)
  }

  receive(index: number, data: ArrayBuffer, binary: boolean): void {
    if (this.#ended || this.#leaving !== null) return
    if (this.#early !== null) {
      this.#early.push({ index, data, binary })
      return
    }
    if (!this.#numbered()) {
      this.#control.deliver(data, binary)
      return
    }
    const verdict = classifyIndex(this.#lastReceived, index)
    if (verdict === "duplicate") {
      this.#acknowledgeAgain(index)
      return
    }
    if (verdict === "skip") {
      this.fail(RunnerClose.messageIndexSkip)
      return
    }
    this.#lastReceived = index
    if (this.#deps.save === undefined) {
      this.#lastDelivered = index
      this.#lastSaved = index
      this.#control.deliver(data, binary)
      this.#sendAck(index)
      return
    }
    this.#waiting.push({ index, data, binary })
    this.#deliverWithinWindow()
  }

  /**
   * Resolves once every message received so far was delivered and saved (and acknowledged), or
   * a save failed, or the socket ended: the actor's stop hook runs after this, so nothing it was
   * sent before its stop is left undelivered or unsaved.
   */
  async settled(): Promise<void> {
    while (this.#saving !== null) await this.#saving
  }

  /** The gateway closed the socket (its client left): fire close, send nothing back. */
  closedByGateway(code: number | null, reason: string | null): void {
    if (this.#ended) return
    this.#end(true)
    this.#control.closed({
      code: code ?? CloseCode.noStatusReceived,
      reason: reason ?? "",
      hibernating: false,
    })
  }

  /**
   * The runner closes the socket for good with `rule`, telling the gateway. With an `error` the
   * close is abnormal: an error event precedes the close event, as on a standard WebSocket.
   */
  fail(rule: CloseRule, error?: unknown): void {
    if (this.#ended) return
    this.#sendClose(rule.code, rule.reason)
    this.#end(true)
    this.#control.closed({ code: rule.code, reason: rule.reason, hibernating: false }, error)
  }

  /** Closes a socket the gateway no longer has: fire close, send nothing. */
  closeLocally(rule: CloseRule): void {
    if (this.#ended) return
    this.#end(true)
    this.#control.closed({ code: rule.code, reason: rule.reason, hibernating: false })
  }

  /**
   * The actor is going away (it stopped, or the runner shuts down). A socket the gateway keeps
   * (the hibernation rule) ends here once the save of what the actor saw resolved, so the next
   * runner loads the index of the last message delivered; any other is closed with `rule`.
   */
  leave(rule: CloseRule): Promise<void> {
    if (this.#ended) return Promise.resolve()
    const keeps = keepsSocketWhileActorAway({
      version: this.#deps.version,
      canHibernate: this.#hibernatable,
    })
    if (!keeps) {
      this.fail(rule)
      return Promise.resolve()
    }
    this.#leaving ??= this.#hibernate(rule)
    return this.#leaving
  }

  async #hibernate(rule: CloseRule): Promise<void> {
    // Not delivered, so not acknowledged: the gateway replays these to the next runner.
    this.#waiting = []
    await this.settled()
    if (this.#ended) return
    this.#end(false)
    this.#control.closed({ code: rule.code, reason: rule.reason, hibernating: true })
  }

  #sendFromActor(data: Uint8Array, binary: boolean): void {
    const message: latest.ToServerTunnelMessageKind = {
      tag: "ToServerWebSocketMessage",
      val: { data: viewedData(data), binary },
    }
    if (this.#deps.send(message, data.byteLength)) return
    // Like a browser whose send buffer is full: the socket closes, after the caller's send().
    const rule = RunnerClose.outboundBufferFull
    queueMicrotask(() => this.fail(rule, new Error(rule.purpose)))
  }

  #closeFromActor(code: number | null, reason: string | null): void {
    if (this.#ended) return
    this.#sendClose(code, reason)
    this.#end(true)
  }

  #sendClose(code: number | null, reason: string | null): void {
    this.#deps.send({ tag: "ToServerWebSocketClose", val: { code, reason, hibernate: false } })
  }

  /** Indexes are checked and acknowledged only where the gateway numbers them. */
  #numbered(): boolean {
    return numbersMessages({ version: this.#deps.version, canHibernate: this.#hibernatable })
  }

  #deliverWithinWindow(): void {
    let delivered = 0
    const room = this.#deps.maxUnsavedMessages - this.#unsaved.length
    while (delivered < this.#waiting.length && delivered < room && !this.#ended) {
      const message = this.#waiting[delivered++]!
      this.#lastDelivered = message.index
      this.#unsaved.push(message.index)
      this.#control.deliver(message.data, message.binary)
    }
    this.#waiting.splice(0, delivered)
    if (this.#unsaved.length > 0 && this.#saving === null && !this.#ended) {
      this.#saving = this.#saveThenAcknowledge().finally(() => {
        this.#saving = null
      })
    }
  }

  /** A message delivered before comes again: its acknowledgement may have been lost. */
  #acknowledgeAgain(index: number): void {
    if (this.#lastSaved === null || isNewerIndex(index, this.#lastSaved)) return
    this.#sendAck(index)
  }

  /** Saves until every delivered message is covered; a failed save leaves them to a replay. */
  async #saveThenAcknowledge(): Promise<void> {
    const save = this.#deps.save
    if (save === undefined) return
    while (this.#unsaved.length > 0 && !this.#ended) {
      const covered = this.#unsaved.length
      const lastMessageIndex = this.#lastDelivered
      try {
        await save(this.#snapshot(lastMessageIndex))
      } catch (error) {
        this.#deps.logger.error({ err: String(error) }, "saveHibernating failed")
        return
      }
      if (this.#ended) return
      this.#lastSaved = lastMessageIndex
      for (const index of this.#unsaved.splice(0, covered)) this.#sendAck(index)
      if (this.#leaving === null) this.#deliverWithinWindow()
    }
  }

  #sendAck(index: number): void {
    this.#deps.send({ tag: "ToServerWebSocketMessageAck", val: { index } })
  }

  #snapshot(lastMessageIndex: number | null): HibernatingSocket {
    return {
      requestId: this.#init.requestId,
      path: this.#init.path,
      headers: this.#init.headers,
      lastMessageIndex,
    }
  }

  #end(final: boolean): void {
    this.#ended = true
    this.#early = null
    this.#waiting = []
    this.#unsaved = []
    if (final && this.#hibernatable && this.#deps.delete !== undefined) {
      this.#deps.delete().catch((error: unknown) => {
        this.#deps.logger.error({ err: String(error) }, "deleteHibernating failed")
      })
    }
    this.#deps.ended()
  }
}
