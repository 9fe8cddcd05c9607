import type { latest } from "@tunnelwire/protocol"
import {
  decodeToServer,
  encodeToClient,
  idKey,
  type latest as v3,
} from "@tunnelwire/protocol/pinned/v3"
import { isOverdue } from "../ack-age.js"
import { distinctTags, type FrameSummary } from "../tap/frame-event.js"
import { MessageIds } from "./message-ids.js"
import type {
  ActorStart,
  ReadFrame,
  RunnerConnection,
  RunnerDialect,
  TunnelRequest,
} from "./runner-connection.js"

interface PendingAck {
  readonly requestKey: string
  readonly sentAt: number
}

/**
 * v1–v3 ("mk1"): 16-byte request and message ids, every tunnel message acknowledged with a
 * TunnelAck, events and commands numbered per runner (`lastEventIdx`, command `index`), and the
 * runner pings (the gateway does not). Frames are read and written as v3, the newest of the family.
 */
export class FirstFamilyDialect implements RunnerDialect {
  readonly #connection: RunnerConnection
  /** By message sequence number, in send order. */
  readonly #pendingAcks = new Map<number, PendingAck>()
  readonly #messageIds = new MessageIds()

  constructor(connection: RunnerConnection) {
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
    const record = this.#connection.host.record(this.#connection)
    this.#send({
      tag: "ToClientInit",
      val: {
        runnerId: this.#connection.runnerId,
        lastEventIdx: record.lastEventIdx,
        metadata: {
          runnerLostThreshold: BigInt(this.#connection.host.options.runnerLostThresholdMs),
        },
      },
    })
  }

  farewell(): void {
    this.#send({ tag: "ToClientClose", val: null })
  }

  startActor(start: ActorStart): void {
    this.#command({
      tag: "CommandStartActor",
      val: {
        actorId: start.actorId,
        generation: start.generation,
        config: start.config,
        hibernatingRequestIds: start.hibernating.map((request) => request.requestId),
      },
    })
  }

  stopActor(actorId: string, generation: number): void {
    this.#command({ tag: "CommandStopActor", val: { actorId, generation } })
  }

  sendTunnel(
    request: TunnelRequest,
    kind: latest.ToClientTunnelMessageKind,
    webSocketIndex: number | null,
  ): void {
    const { id: messageId, seq } = this.#messageIds.mint()
    this.#pendingAcks.set(seq, { requestKey: request.key, sentAt: Date.now() })
    const messageKind: v3.ToClientTunnelMessageKind =
      kind.tag === "ToClientWebSocketMessage"
        ? { tag: kind.tag, val: { ...kind.val, index: webSocketIndex ?? 0 } }
        : kind
    this.#send({
      tag: "ToClientTunnelMessage",
      val: { requestId: request.requestId, messageId, messageKind, gatewayReplyTo: null },
    })
  }

  /**
   * Requests with a tunnel message unacknowledged for longer than the ack timeout. Acks are kept
   * in send order, so the scan stops at the first one still within its time.
   */
  collectOverdueAcks(now: number): TunnelRequest[] {
    const overdue = new Map<string, TunnelRequest>()
    for (const [seq, pending] of this.#pendingAcks) {
      if (!isOverdue(pending.sentAt, now, this.#connection.host.options.ackTimeoutMs)) break
      this.#pendingAcks.delete(seq)
      const request = this.#connection.requests.get(pending.requestKey)
      if (request !== undefined) overdue.set(request.key, request)
    }
    return [...overdue.values()]
  }

  closed(): void {
    this.#pendingAcks.clear()
  }

  #apply(message: v3.ToServer): void {
    const host = this.#connection.host
    switch (message.tag) {
      case "ToServerTunnelMessage":
        this.#tunnelMessage(message.val)
        return
      case "ToServerEvents":
        this.#events(message.val)
        return
      case "ToServerKvRequest": {
        const data = host.runnerKv(this.#connection, message.val.actorId, message.val.data)
        this.#send({
          tag: "ToClientKvResponse",
          val: { requestId: message.val.requestId, data: kvResponseV3(data) },
        })
        return
      }
      case "ToServerStopping":
        host.runnerStopping(this.#connection)
        return
      case "ToServerInit":
      case "ToServerAckCommands":
      case "ToServerPing":
        return
    }
  }

  #tunnelMessage(message: v3.ToServerTunnelMessage): void {
    const kind = message.messageKind
    if (kind.tag === "TunnelAck") {
      const seq = this.#messageIds.seqOf(message.messageId)
      if (seq !== null) this.#pendingAcks.delete(seq)
      return
    }
    const key = idKey(message.requestId)
    const acknowledge = () => this.#acknowledge(message)
    if (
      this.#connection.requests.get(key) === undefined &&
      !this.#connection.host.requests.has(key)
    ) {
      // A request that ended (its client left, say) takes nothing more: the runner may forget
      // what was still on its way, rather than hold it against its buffer until its ack timeout.
      acknowledge()
    }
    this.#connection.host.runnerTunnel(this.#connection, key, kind, acknowledge)
  }

  /** Answers a runner's tunnel message with the TunnelAck carrying the same ids. */
  #acknowledge(message: v3.ToServerTunnelMessage): void {
    if (this.#connection.host.options.faults.withholdTunnelAcks === true) return
    this.#send({
      tag: "ToClientTunnelMessage",
      val: {
        requestId: message.requestId,
        messageId: message.messageId,
        messageKind: { tag: "TunnelAck", val: null },
        gatewayReplyTo: null,
      },
    })
  }

  #events(events: v3.ToServerEvents): void {
    const record = this.#connection.host.record(this.#connection)
    for (const { index, inner } of events) {
      if (index <= record.lastEventIdx) continue
      record.lastEventIdx = index
      const { actorId, generation, ...rest } = inner.val
      this.#connection.host.runnerEvent(this.#connection, actorId, generation, {
        tag: inner.tag,
        val: rest,
      } as latest.Event)
    }
    this.#send({ tag: "ToClientAckEvents", val: { lastEventIdx: record.lastEventIdx } })
  }

  #command(inner: v3.Command): void {
    const record = this.#connection.host.record(this.#connection)
    const index = record.nextCommandIdx++
    this.#send({ tag: "ToClientCommands", val: [{ index, inner }] })
  }

  #send(message: v3.ToClient): void {
    const wire = encodeToClient(message, { version: this.#connection.version })
    this.#connection.write(wire, () => this.#toRunnerSummary(message))
  }

  #toRunnerSummary(message: v3.ToClient): FrameSummary {
    switch (message.tag) {
      case "ToClientTunnelMessage": {
        const requestId = idKey(message.val.requestId)
        const kind = message.val.messageKind.tag
        return { requestId, actorId: this.#connection.actorOf(requestId), kind }
      }
      case "ToClientCommands":
        return {
          requestId: null,
          actorId: message.val[0]?.inner.val.actorId ?? null,
          kind: distinctTags(
            message.val.map((command) => command.inner.tag),
            message.tag,
          ),
        }
      default:
        return { requestId: null, actorId: null, kind: message.tag }
    }
  }

  #fromRunnerSummary(message: v3.ToServer): FrameSummary {
    switch (message.tag) {
      case "ToServerTunnelMessage": {
        const requestId = idKey(message.val.requestId)
        const kind = message.val.messageKind.tag
        return { requestId, actorId: this.#connection.actorOf(requestId), kind }
      }
      case "ToServerEvents":
        return {
          requestId: null,
          actorId: message.val[0]?.inner.val.actorId ?? null,
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

/** v3 calls the entry time `createTs`; v4 renamed it `updateTs` (same bytes). */
function kvResponseV3(data: latest.KvResponseData): v3.KvResponseData {
  switch (data.tag) {
    case "KvGetResponse":
    case "KvListResponse":
      return {
        tag: data.tag,
        val: {
          keys: data.val.keys,
          values: data.val.values,
          metadata: data.val.metadata.map((m) => ({ version: m.version, createTs: m.updateTs })),
        },
      }
    default:
      return data
  }
}
