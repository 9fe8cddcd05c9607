import {
  ackNamesGeneration,
  decodeToServer,
  encodeToClient,
  idKey,
  isSecondFamily,
  type latest,
  RunnerConnectionClose,
  SECOND_FAMILY_TIMING,
  UNNAMED_GENERATION,
} from "@tunnelwire/protocol"
import { distinctTags, type FrameSummary } from "../tap/frame-event.js"
import type {
  ActorStart,
  ReadFrame,
  RunnerConnection,
  RunnerDialect,
  TunnelRequest,
} from "./runner-connection.js"

/**
 * v4–v7 ("mk2"): 10-byte message ids (gateway id, request id, per-request index) and no tunnel
 * acks, commands and events numbered per actor generation (`ActorCheckpoint`), the gateway pings
 * and the runner answers. Frames are read into and written from the v7 shape with the versioned
 * codec, which converts at this edge.
 */
export class SecondFamilyDialect implements RunnerDialect {
  readonly #connection: RunnerConnection
  #pingTimer: NodeJS.Timeout | undefined
  #lastPong = Date.now()
  /** Round trip of the last ping, in milliseconds. */
  rttMs: number | null = null

  constructor(connection: RunnerConnection) {
    if (!isSecondFamily(connection.version))
      throw new RangeError(`v${connection.version} is not a second-family version`)
    this.#connection = connection
  }

  read(wire: Uint8Array): ReadFrame {
    const message = decodeToServer(wire, { version: this.#connection.version })
    return {
      init: message.tag === "ToServerInit" ? message.val : null,
      tag: message.tag,
      summary: this.#fromRunnerSummary(message),
      apply: () => this.#apply(message),
    }
  }

  greet(): void {
    const { options } = this.#connection.host
    this.#send({
      tag: "ToClientInit",
      val: {
        runnerId: this.#connection.runnerId,
        metadata: {
          runnerLostThreshold: BigInt(options.runnerLostThresholdMs),
          // v4 and v5 have no such field: the codec drops it only while it holds the default.
          actorStopThreshold: BigInt(
            this.#connection.capabilities.metadataStopThresholds
              ? options.actorStopThresholdMs
              : SECOND_FAMILY_TIMING.actorStopThresholdMs,
          ),
          // Only serverless runners get a drain grace period (`R/conn.rs:383-398`); v4 and v5
          // have no such field.
          serverlessDrainGracePeriod: this.#drainGracePeriod(),
        },
      },
    })
    const replay = this.#record().unacknowledged(this.#connection.actorIds)
    if (replay.length > 0) this.#send({ tag: "ToClientCommands", val: replay })
    this.#lastPong = Date.now()
    this.#pingTimer = setInterval(() => this.#ping(), options.pingIntervalMs)
  }

  /** The engine's `ToRunnerClose` never reaches the socket: the close itself says it all. */
  farewell(): void {}

  startActor(start: ActorStart): void {
    this.#command(start.actorId, start.generation, {
      tag: "CommandStartActor",
      val: {
        config: start.config,
        hibernatingRequests: start.hibernating.map((request) => ({
          gatewayId: this.#connection.host.gatewayId,
          requestId: request.shortId,
        })),
      },
    })
  }

  stopActor(actorId: string, generation: number): void {
    this.#command(actorId, generation, { tag: "CommandStopActor", val: null })
  }

  sendTunnel(
    request: TunnelRequest,
    kind: latest.ToClientTunnelMessageKind,
    webSocketIndex: number | null,
  ): void {
    let messageIndex: number
    if (kind.tag === "ToClientWebSocketMessage" && webSocketIndex !== null) {
      // Held messages keep the index they got on arrival; the open took 0, so they start at 1.
      messageIndex = (webSocketIndex + 1) & 0xffff
      request.tunnelIndex.sentAt(messageIndex)
    } else {
      messageIndex = request.tunnelIndex.take()
    }
    this.#send({
      tag: "ToClientTunnelMessage",
      val: {
        messageId: {
          gatewayId: this.#connection.host.gatewayId,
          requestId: request.shortId,
          messageIndex,
        },
        messageKind: kind,
      },
    })
  }

  collectOverdueAcks(): TunnelRequest[] {
    return []
  }

  closed(): void {
    clearInterval(this.#pingTimer)
  }

  #drainGracePeriod(): bigint | null {
    if (!this.#connection.capabilities.metadataStopThresholds) return null
    const period = this.#connection.host.drainGracePeriodMs(this.#connection)
    return period === null ? null : BigInt(period)
  }

  #ping(): void {
    const now = Date.now()
    if (now - this.#lastPong > this.#connection.host.options.pingTimeoutMs) {
      this.#connection.close(RunnerConnectionClose.pingTimeout, `no pong since ${this.#lastPong}`)
      return
    }
    this.#send({ tag: "ToClientPing", val: { ts: BigInt(now) } })
  }

  #apply(message: latest.ToServer): void {
    const host = this.#connection.host
    switch (message.tag) {
      case "ToServerTunnelMessage":
        this.#tunnelMessage(message.val)
        return
      case "ToServerEvents":
        this.#events(message.val)
        return
      case "ToServerAckCommands":
        this.#record().acknowledgeCommands(
          message.val.lastCommandCheckpoints,
          ackNamesGeneration(this.#connection.version),
        )
        return
      case "ToServerPong": {
        const now = Date.now()
        this.#lastPong = now
        this.rttMs = now - Number(message.val.ts)
        return
      }
      case "ToServerKvRequest": {
        const data = host.runnerKv(this.#connection, message.val.actorId, message.val.data)
        this.#send({ tag: "ToClientKvResponse", val: { requestId: message.val.requestId, data } })
        return
      }
      case "ToServerStopping":
        host.runnerStopping(this.#connection)
        return
      case "ToServerInit":
        return
    }
  }

  #tunnelMessage(message: latest.ToServerTunnelMessage): void {
    const { gatewayId, requestId } = message.messageId
    const host = this.#connection.host
    const request =
      idKey(gatewayId) === idKey(host.gatewayId) ? host.requests.byShortId(requestId) : undefined
    // The runner's own message indexes are not checked: Rivet's gateway routes by request id alone.
    let kind = message.messageKind
    if (kind.tag === "ToServerWebSocketMessageAck") {
      // The gateway holds messages by their arrival index; on the wire they are one further on.
      kind = { tag: kind.tag, val: { index: (kind.val.index - 1) & 0xffff } }
    }
    host.runnerTunnel(this.#connection, request?.key ?? idKey(requestId), kind, noAck)
  }

  #events(events: latest.ToServerEvents): void {
    const book = this.#record()
    const acknowledged = new Map<string, latest.ActorCheckpoint>()
    for (const { checkpoint, inner } of events) {
      if (book.acceptEvent(checkpoint)) {
        this.#connection.host.runnerEvent(
          this.#connection,
          checkpoint.actorId,
          checkpoint.generation,
          inner,
        )
      }
      const last = book.eventCheckpoint(checkpoint.actorId)
      if (last === null) continue
      acknowledged.set(
        checkpoint.actorId,
        ackNamesGeneration(this.#connection.version)
          ? last
          : { ...last, generation: UNNAMED_GENERATION },
      )
    }
    // Rivet's engine acknowledges only every 250 events; acknowledging each batch is allowed and
    // lets the runner drop its history at once.
    if (acknowledged.size > 0 && this.#connection.state !== "closed") {
      this.#send({
        tag: "ToClientAckEvents",
        val: { lastEventCheckpoints: [...acknowledged.values()] },
      })
    }
  }

  #command(actorId: string, generation: number, inner: latest.Command): void {
    const wrapper = this.#record().command(actorId, generation, inner)
    this.#send({ tag: "ToClientCommands", val: [wrapper] })
  }

  #record() {
    return this.#connection.host.record(this.#connection).checkpoints
  }

  #send(message: latest.ToClient): void {
    const wire = encodeToClient(message, { version: this.#connection.version })
    this.#connection.write(wire, () => this.#toRunnerSummary(message))
  }

  #requestOf(shortId: ArrayBuffer): { requestId: string; actorId: string | null } {
    const request = this.#connection.host.requests.byShortId(shortId)
    // A request that ended is shown by its 4-byte id: the gateway no longer knows its own name.
    return request === undefined
      ? { requestId: idKey(shortId), actorId: null }
      : { requestId: request.key, actorId: request.actorId }
  }

  #toRunnerSummary(message: latest.ToClient): FrameSummary {
    switch (message.tag) {
      case "ToClientTunnelMessage":
        return {
          ...this.#requestOf(message.val.messageId.requestId),
          kind: message.val.messageKind.tag,
        }
      case "ToClientCommands":
        return {
          requestId: null,
          actorId: message.val[0]?.checkpoint.actorId ?? null,
          kind: distinctTags(
            message.val.map((command) => command.inner.tag),
            message.tag,
          ),
        }
      default:
        return { requestId: null, actorId: null, kind: message.tag }
    }
  }

  #fromRunnerSummary(message: latest.ToServer): FrameSummary {
    switch (message.tag) {
      case "ToServerTunnelMessage":
        return {
          ...this.#requestOf(message.val.messageId.requestId),
          kind: message.val.messageKind.tag,
        }
      case "ToServerEvents":
        return {
          requestId: null,
          actorId: message.val[0]?.checkpoint.actorId ?? null,
          kind: distinctTags(
            message.val.map((event) => event.inner.tag),
            message.tag,
          ),
        }
      case "ToServerKvRequest":
        return { requestId: null, actorId: message.val.actorId, kind: message.val.data.tag }
      default:
        return { requestId: null, actorId: null, kind: message.tag }
    }
  }
}

function noAck(): void {}
