import {
  type Capabilities,
  CloseCode,
  type CloseRule,
  classifyIndex,
  keepsSocketWhileActorAway,
  type latest,
  RunnerClose,
} from "@tunnelwire/protocol/pinned/v3"
import type { Logger } from "../logger.js"
import type { HibernatingSocket } from "./hibernation.js"
import { toArrayBuffer } from "./request.js"
import { TunnelWebSocket, type WebSocketControl } from "./websocket.js"

export interface SessionDeps {
  readonly version: number
  readonly capabilities: Capabilities
  readonly logger: Logger
  /** Sends a tunnel message for this socket; `false` when the outbound buffer is full. */
  send(kind: latest.ToServerTunnelMessageKind, payloadBytes?: number): boolean
  /** Sends the open answer (with `lastMsgIndex` where the version carries it). */
  sendOpen(canHibernate: boolean, lastDeliveredIndex: number | null): void
  bufferedAmount(): number
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

interface EarlyMessage {
  readonly index: number
  readonly data: ArrayBuffer
  readonly binary: boolean
}

/**
 * The runner's side of one tunneled WebSocket: the adapter the actor holds, message index
 * validation, and acknowledgement of delivered messages, which for a hibernatable socket waits
 * until the actor kept the new index (so the gateway never forgets a message the actor could
 * not resume after).
 */
export class WebSocketSession {
  readonly socket: TunnelWebSocket
  readonly #deps: SessionDeps
  readonly #init: SessionInit
  readonly #control: WebSocketControl
  #hibernatable: boolean
  #lastDelivered: number | null
  /** Delivered indexes waiting for `save` before they are acknowledged, oldest first. */
  #unacknowledged: number[] = []
  #saving = false
  #early: EarlyMessage[] | null = []
  #ended = false

  constructor(init: SessionInit, deps: SessionDeps) {
    this.#init = init
    this.#deps = deps
    this.#hibernatable = init.restoredFrom !== null
    this.#lastDelivered = init.restoredFrom?.lastMessageIndex ?? null
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
    if (this.#ended) return
    if (this.#early !== null) {
      this.#early.push({ index, data, binary })
      return
    }
    if (this.#deps.capabilities.messageIndex) {
      const verdict = classifyIndex(this.#lastDelivered, index)
      if (verdict === "duplicate") {
        this.#acknowledgeAgain(index)
        return
      }
      if (verdict === "skip" && this.#hibernatable) {
        this.fail(RunnerClose.messageIndexSkip)
        return
      }
      this.#lastDelivered = index
    }
    this.#control.deliver(data, binary)
    if (this.#deps.capabilities.webSocketMessageAck) this.#acknowledge(index)
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
   * (the hibernation rule) just ends here; any other is closed with `rule`.
   */
  leave(rule: CloseRule): void {
    if (this.#ended) return
    const keeps = keepsSocketWhileActorAway({
      version: this.#deps.version,
      canHibernate: this.#hibernatable,
    })
    if (!keeps) {
      this.fail(rule)
      return
    }
    this.#end(false)
    this.#control.closed({ code: rule.code, reason: rule.reason, hibernating: true })
  }

  #sendFromActor(data: Uint8Array, binary: boolean): void {
    const message: latest.ToServerTunnelMessageKind = {
      tag: "ToServerWebSocketMessage",
      val: { data: toArrayBuffer(data), binary },
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

  #acknowledge(index: number): void {
    if (!this.#hibernatable || this.#deps.save === undefined) {
      this.#sendAck(index)
      return
    }
    this.#unacknowledged.push(index)
    if (!this.#saving) void this.#saveThenAcknowledge()
  }

  /** A message delivered before comes again: its acknowledgement may have been lost. */
  #acknowledgeAgain(index: number): void {
    if (!this.#deps.capabilities.webSocketMessageAck) return
    if (!this.#unacknowledged.includes(index)) this.#sendAck(index)
  }

  async #saveThenAcknowledge(): Promise<void> {
    const save = this.#deps.save
    if (save === undefined) return
    this.#saving = true
    while (this.#unacknowledged.length > 0 && !this.#ended) {
      const covered = this.#unacknowledged.length
      try {
        await save(this.#snapshot(this.#lastDelivered))
      } catch (error) {
        // Unacknowledged messages are replayed to a restored socket, so nothing is lost.
        this.#deps.logger.error({ err: String(error) }, "saveHibernating failed")
        break
      }
      if (this.#ended) break
      for (const index of this.#unacknowledged.splice(0, covered)) this.#sendAck(index)
    }
    this.#saving = false
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
    this.#unacknowledged = []
    if (final && this.#hibernatable && this.#deps.delete !== undefined) {
      this.#deps.delete().catch((error: unknown) => {
        this.#deps.logger.error({ err: String(error) }, "deleteHibernating failed")
      })
    }
    this.#deps.ended()
  }
}
