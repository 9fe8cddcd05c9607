import { randomUUID } from "node:crypto"
import type { Duplex } from "node:stream"
import {
  type Capabilities,
  type CloseRule,
  capabilities,
  evictionClose,
  isSecondFamily,
  type latest,
  RunnerConnectionClose,
  type RunnerConnectParams,
  withRayId,
} from "@tunnelwire/protocol"
import type { RawData, WebSocket } from "ws"
import type { ResolvedOptions } from "../options.js"
import { newRayId } from "../ray-id.js"
import { type FrameSummary, fromRunnerFrame, toRunnerFrame } from "../tap/frame-event.js"
import type { Tap } from "../tap/tap.js"
import { corkForTick } from "../write-batching.js"
import { FirstFamilyDialect } from "./first-family-dialect.js"
import { RequestTable, type TunnelIndex, type TunnelRequestIds } from "./request-table.js"
import type { RunnerRecord } from "./runner-pool.js"
import { SecondFamilyDialect } from "./second-family-dialect.js"

/** An actor start as the gateway decides it, whatever the runner's version. */
export interface ActorStart {
  readonly actorId: string
  readonly generation: number
  readonly config: latest.ActorConfig
  /** Hibernating sockets the runner is to restore with the actor. */
  readonly hibernating: readonly TunnelRequestIds[]
}

/** What a connection reports to the gateway once it has decoded a frame. */
export interface RunnerConnectionHost {
  readonly tap: Tap
  readonly options: ResolvedOptions
  /** The second family's 4-byte gateway id, the same for every request of this gateway. */
  readonly gatewayId: ArrayBuffer
  /** Every live request, for telling "not yours" from "unknown". */
  readonly requests: RequestTable<TunnelRequest>
  record(connection: RunnerConnection): RunnerRecord
  runnerInit(connection: RunnerConnection, init: { name: string; totalSlots: number }): void
  runnerEvent(
    connection: RunnerConnection,
    actorId: string,
    generation: number,
    event: latest.Event,
  ): void
  runnerTunnel(
    connection: RunnerConnection,
    requestKey: string,
    kind: latest.ToServerTunnelMessageKind,
    acknowledge: () => void,
  ): void
  runnerKv(
    connection: RunnerConnection,
    actorId: string,
    data: latest.KvRequestData,
  ): latest.KvResponseData
  runnerStopping(connection: RunnerConnection): void
  /** v6+: `ProtocolMetadata.serverlessDrainGracePeriod` for this runner; null when not serverless. */
  drainGracePeriodMs(connection: RunnerConnection): number | null
  /** `draining`: the runner had sent ToServerStopping, so it is not coming back. */
  runnerClosed(connection: RunnerConnection, draining: boolean): void
}

/** A tunneled request (HTTP exchange or client WebSocket) as its runner connection sees it. */
export interface TunnelRequest extends TunnelRequestIds {
  readonly actorId: string
  /** The second family's gateway→runner message counter for this request. */
  readonly tunnelIndex: TunnelIndex
  /**
   * A runner's tunnel message for this request. `acknowledge` sends its TunnelAck (v1–v3): at
   * once, or, for data on its way to a client, once the client has room (the runner's sends wait
   * meanwhile). From v4 there are no tunnel acks and it does nothing.
   */
  onRunnerMessage(
    connection: RunnerConnection,
    kind: latest.ToServerTunnelMessageKind,
    acknowledge: () => void,
  ): void
  /** The runner did not acknowledge a tunnel message of this request in time. */
  onAckOverdue(connection: RunnerConnection): void
}

/** One decoded runner frame: what it is, how the tap shows it, and what it does. */
export interface ReadFrame {
  /** Set when the frame is a `ToServerInit`. */
  readonly init: { readonly name: string; readonly totalSlots: number } | null
  readonly tag: string
  readonly summary: FrameSummary
  apply(): void
}

/** How one protocol family reads and writes a runner's frames (chosen by the connection's version). */
export interface RunnerDialect {
  /** Decodes a frame; throws on one that is malformed. */
  read(wire: Uint8Array): ReadFrame
  /** Answers the runner's ToServerInit. */
  greet(): void
  startActor(start: ActorStart): void
  stopActor(actorId: string, generation: number): void
  /** Sends a tunnel message; `webSocketIndex` is the held index of a numbered WebSocket message. */
  sendTunnel(
    request: TunnelRequest,
    kind: latest.ToClientTunnelMessageKind,
    webSocketIndex: number | null,
  ): void
  /** Requests with a tunnel message unacknowledged past the ack timeout (v1–v3). */
  collectOverdueAcks(now: number): TunnelRequest[]
  /** What goes to the runner before the close that sends it away for good (v1–v3 `ToClientClose`). */
  farewell(): void
  closed(): void
}

/**
 * One runner's WebSocket. It is the version edge: its dialect decodes frames from and encodes them
 * to the connection's protocol version (first family v1–v3, second family v4–v7), and everything
 * past it works in the v7 shape.
 */
export class RunnerConnection {
  /** New per connection; a v4+ runner reconnecting within its lost threshold gets its old one back. */
  runnerId: string = randomUUID()
  readonly params: RunnerConnectParams
  readonly version: number
  readonly capabilities: Capabilities
  /** Namespace and runner key: a newer connection with the same one evicts this. */
  readonly poolKey: string
  name: string | null = null
  totalSlots = 0
  state: "connecting" | "ready" | "draining" | "closed" = "connecting"
  readonly actorIds = new Set<string>()
  readonly requests = new RequestTable<TunnelRequest>()
  /** The close code and reason, once closed (by either side). */
  closedWith: { readonly code: number; readonly reason: string } | null = null
  readonly host: RunnerConnectionHost
  readonly #dialect: RunnerDialect
  readonly #ws: WebSocket
  readonly #socket: Duplex
  #initTimer: NodeJS.Timeout | undefined

  constructor(
    ws: WebSocket,
    socket: Duplex,
    params: RunnerConnectParams,
    host: RunnerConnectionHost,
  ) {
    this.#ws = ws
    this.#socket = socket
    this.host = host
    this.params = params
    this.version = params.protocolVersion
    this.capabilities = capabilities(params.protocolVersion)
    this.poolKey = `${params.namespace}/${params.runnerKey}`
    this.#dialect = isSecondFamily(this.version)
      ? new SecondFamilyDialect(this)
      : new FirstFamilyDialect(this)
    this.#initTimer = setTimeout(
      () => this.close(RunnerConnectionClose.initTimeout),
      host.options.initTimeoutMs,
    )
    ws.on("message", (data, isBinary) => this.#onFrame(data, isBinary))
    ws.on("close", (code, reason) => {
      this.closedWith ??= { code, reason: reason.toString() }
      this.#closed()
    })
    ws.on("error", () => this.#closed())
  }

  readonly actorOf = (requestKey: string) => this.requests.get(requestKey)?.actorId ?? null

  get frameSource() {
    return { runnerId: this.runnerId, runnerKey: this.params.runnerKey, version: this.version }
  }

  /** Writes an encoded frame; the tap gets its summary. */
  write(wire: Uint8Array, summary: () => FrameSummary): void {
    if (this.state === "closed") return
    corkForTick(this.#socket)
    this.#ws.send(wire)
    this.host.tap.emit(() => toRunnerFrame(this.frameSource, summary(), wire))
  }

  greet(): void {
    this.#dialect.greet()
  }

  startActor(start: ActorStart): void {
    this.#dialect.startActor(start)
  }

  stopActor(actorId: string, generation: number): void {
    this.#dialect.stopActor(actorId, generation)
  }

  sendTunnel(
    request: TunnelRequest,
    kind: latest.ToClientTunnelMessageKind,
    webSocketIndex: number | null = null,
  ): void {
    if (this.state === "closed") return
    this.#dialect.sendTunnel(request, kind, webSocketIndex)
  }

  collectOverdueAcks(now: number): TunnelRequest[] {
    return this.#dialect.collectOverdueAcks(now)
  }

  markReady(init: { name: string; totalSlots: number }): void {
    clearTimeout(this.#initTimer)
    this.name = init.name
    this.totalSlots = init.totalSlots
    this.state = "ready"
  }

  /** Closes the connection with one of the protocol's close rules; the gateway cleans up at once. */
  close(rule: CloseRule, detail?: string): void {
    if (this.state === "closed") return
    if (detail !== undefined) this.fault(`${rule.reason}: ${detail}`, null)
    this.closedWith = { code: rule.code, reason: rule.reason }
    this.#ws.close(rule.code, rule.reason)
    this.#closed()
  }

  /**
   * Sends the runner away for good, as the engine's `ToRunnerClose` does: v1–v3 get `ToClientClose`
   * and then the eviction close, v4+ the engine's eviction close with a ray id
   * (`R/tunnel_to_ws_task.rs:126`). Its actors are gone at once: it is not coming back for them.
   */
  evict(): void {
    if (this.state === "closed") return
    this.state = "draining"
    this.#dialect.farewell()
    const rule = evictionClose(this.version)
    this.close(
      isSecondFamily(this.version) ? { ...rule, reason: withRayId(rule.reason, newRayId()) } : rule,
    )
  }

  fault(message: string, requestId: string | null): void {
    this.host.tap.emit(() => ({ type: "fault", message, runnerId: this.runnerId, requestId }))
  }

  #closed(): void {
    if (this.state === "closed") return
    clearTimeout(this.#initTimer)
    const draining = this.state === "draining"
    this.state = "closed"
    this.#dialect.closed()
    this.host.runnerClosed(this, draining)
    // A peer that ignores the close handshake must not keep the socket (or the process) alive.
    setTimeout(() => this.#ws.terminate(), 1_000).unref()
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    if (this.state === "closed") return
    if (!isBinary) {
      this.close(RunnerConnectionClose.protocolViolation, "text frame")
      return
    }
    const buffer = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data)
    const wire = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    let frame: ReadFrame
    try {
      frame = this.#dialect.read(wire)
    } catch (error) {
      this.close(RunnerConnectionClose.malformedFrame, String(error))
      return
    }
    this.host.tap.emit(() => fromRunnerFrame(this.frameSource, frame.summary, wire))
    if (this.state === "connecting") {
      if (frame.init === null) {
        this.close(RunnerConnectionClose.protocolViolation, `${frame.tag} before ToServerInit`)
        return
      }
      this.host.runnerInit(this, frame.init)
    } else if (frame.init !== null) {
      this.close(RunnerConnectionClose.protocolViolation, "a second ToServerInit")
    } else {
      frame.apply()
    }
  }
}
