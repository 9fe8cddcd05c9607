import { randomUUID } from "node:crypto"
import type { Duplex } from "node:stream"
import {
  type Capabilities,
  type CloseRule,
  capabilities,
  decodeToServer,
  encodeToClient,
  idKey,
  type latest,
  RunnerConnectionClose,
  type RunnerConnectParams,
} from "@tunnelwire/protocol/pinned/v3"
import type { RawData, WebSocket } from "ws"
import { isOverdue } from "../ack-age.js"
import type { ResolvedOptions } from "../options.js"
import { fromRunnerFrame, toRunnerFrame } from "../tap/frame-event.js"
import type { Tap } from "../tap/tap.js"
import { batchWritesPerTick } from "../write-batching.js"
import { MessageIds } from "./message-ids.js"

/** What a connection reports to the gateway once it has decoded a frame. */
export interface RunnerConnectionHost {
  readonly tap: Tap
  readonly options: ResolvedOptions
  runnerInit(connection: RunnerConnection, init: latest.ToServerInit): void
  runnerMessage(connection: RunnerConnection, message: latest.ToServer): void
  runnerClosed(connection: RunnerConnection): void
}

/** A tunneled request (HTTP exchange or client WebSocket) as its runner connection sees it. */
export interface TunnelRequest {
  readonly key: string
  readonly requestId: ArrayBuffer
  readonly actorId: string
  /**
   * A runner's tunnel message for this request. `acknowledge` sends its TunnelAck: at once, or,
   * for data on its way to a client, once the client has room (the runner's sends wait meanwhile).
   */
  onRunnerMessage(
    connection: RunnerConnection,
    kind: latest.ToServerTunnelMessageKind,
    acknowledge: () => void,
  ): void
  /** The runner did not acknowledge a tunnel message of this request in time. */
  onAckOverdue(connection: RunnerConnection): void
}

interface PendingAck {
  readonly requestKey: string
  readonly sentAt: number
}

/**
 * One runner's WebSocket. It is the version edge: frames are decoded from and encoded to the
 * connection's protocol version here, and everything past it works in the latest shape.
 */
export class RunnerConnection {
  readonly runnerId = randomUUID()
  readonly params: RunnerConnectParams
  readonly version: number
  readonly capabilities: Capabilities
  /** Namespace and runner key: a newer connection with the same one evicts this. */
  readonly poolKey: string
  name: string | null = null
  totalSlots = 0
  state: "connecting" | "ready" | "draining" | "closed" = "connecting"
  readonly actorIds = new Set<string>()
  readonly requests = new Map<string, TunnelRequest>()
  /** By message sequence number, in send order. */
  readonly #pendingAcks = new Map<number, PendingAck>()
  readonly #messageIds = new MessageIds()
  readonly #ws: WebSocket
  readonly #beforeWrite: () => void
  readonly #host: RunnerConnectionHost
  #initTimer: NodeJS.Timeout | undefined

  constructor(
    ws: WebSocket,
    socket: Duplex,
    params: RunnerConnectParams,
    host: RunnerConnectionHost,
  ) {
    this.#ws = ws
    this.#beforeWrite = batchWritesPerTick(socket)
    this.#host = host
    this.params = params
    this.version = params.protocolVersion
    this.capabilities = capabilities(params.protocolVersion)
    this.poolKey = `${params.namespace}/${params.runnerKey}`
    this.#initTimer = setTimeout(
      () => this.close(RunnerConnectionClose.initTimeout),
      host.options.initTimeoutMs,
    )
    ws.on("message", (data, isBinary) => this.#onFrame(data, isBinary))
    ws.on("close", () => this.#closed())
    ws.on("error", () => this.#closed())
  }

  readonly #actorOf = (requestKey: string) => this.requests.get(requestKey)?.actorId ?? null

  get frameSource() {
    return { runnerId: this.runnerId, runnerKey: this.params.runnerKey, version: this.version }
  }

  send(message: latest.ToClient): void {
    if (this.state === "closed") return
    const wire = encodeToClient(message, { version: this.version })
    this.#beforeWrite()
    this.#ws.send(wire)
    this.#host.tap.emit(() => toRunnerFrame(this.frameSource, message, wire, this.#actorOf))
  }

  /** Sends one tunnel message; all but acknowledgements wait for the runner's TunnelAck. */
  sendTunnel(requestId: ArrayBuffer, messageKind: latest.ToClientTunnelMessageKind): void {
    const { id: messageId, seq } = this.#messageIds.mint()
    if (messageKind.tag !== "TunnelAck") {
      this.#pendingAcks.set(seq, { requestKey: idKey(requestId), sentAt: Date.now() })
    }
    this.send({
      tag: "ToClientTunnelMessage",
      val: { requestId, messageId, messageKind, gatewayReplyTo: null },
    })
  }

  /** Answers a runner's tunnel message with the TunnelAck carrying the same ids. */
  acknowledge(message: latest.ToServerTunnelMessage): void {
    if (this.#host.options.faults.withholdTunnelAcks === true) return
    this.send({
      tag: "ToClientTunnelMessage",
      val: {
        requestId: message.requestId,
        messageId: message.messageId,
        messageKind: { tag: "TunnelAck", val: null },
        gatewayReplyTo: null,
      },
    })
  }

  /** The runner acknowledged one of our tunnel messages. */
  acknowledged(messageId: ArrayBuffer): void {
    const seq = this.#messageIds.seqOf(messageId)
    if (seq !== null) this.#pendingAcks.delete(seq)
  }

  /**
   * Requests with a tunnel message unacknowledged for longer than the ack timeout. Acks are kept
   * in send order, so the scan stops at the first one still within its time.
   */
  collectOverdueAcks(now: number): TunnelRequest[] {
    const overdue = new Map<string, TunnelRequest>()
    for (const [seq, pending] of this.#pendingAcks) {
      if (!isOverdue(pending.sentAt, now, this.#host.options.ackTimeoutMs)) break
      this.#pendingAcks.delete(seq)
      const request = this.requests.get(pending.requestKey)
      if (request !== undefined) overdue.set(request.key, request)
    }
    return [...overdue.values()]
  }

  markReady(init: latest.ToServerInit): void {
    clearTimeout(this.#initTimer)
    this.name = init.name
    this.totalSlots = init.totalSlots
    this.state = "ready"
  }

  /** Closes the connection with one of the protocol's close rules; the gateway cleans up at once. */
  close(rule: CloseRule, detail?: string): void {
    if (this.state === "closed") return
    if (detail !== undefined) {
      this.#host.tap.emit(() => ({
        type: "fault",
        message: `${rule.reason}: ${detail}`,
        runnerId: this.runnerId,
        requestId: null,
      }))
    }
    this.#ws.close(rule.code, rule.reason)
    this.#closed()
  }

  #closed(): void {
    if (this.state === "closed") return
    clearTimeout(this.#initTimer)
    this.state = "closed"
    this.#pendingAcks.clear()
    this.#host.runnerClosed(this)
    // A peer that ignores the close handshake must not keep the socket (or the process) alive.
    setTimeout(() => this.#ws.terminate(), 1_000).unref()
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    if (this.state === "closed") return
    if (!isBinary) {
      this.close(RunnerConnectionClose.protocolViolation, "text frame")
      return
    }
    const wire = Array.isArray(data) ? Buffer.concat(data) : data
    let message: latest.ToServer
    try {
      message = decodeToServer(wire, { version: this.version })
    } catch (error) {
      this.close(RunnerConnectionClose.malformedFrame, String(error))
      return
    }
    this.#host.tap.emit(() =>
      fromRunnerFrame(this.frameSource, message, new Uint8Array(wire), this.#actorOf),
    )
    if (this.state === "connecting") {
      if (message.tag !== "ToServerInit") {
        this.close(RunnerConnectionClose.protocolViolation, `${message.tag} before ToServerInit`)
        return
      }
      this.#host.runnerInit(this, message.val)
    } else if (message.tag === "ToServerInit") {
      this.close(RunnerConnectionClose.protocolViolation, "a second ToServerInit")
    } else {
      this.#host.runnerMessage(this, message)
    }
  }
}
