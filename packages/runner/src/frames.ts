import {
  type Capabilities,
  capabilities,
  decodeToClient as decodeCheckpointed,
  encodeToServer as encodeCheckpointed,
  idKey,
  LATEST_VERSION,
  type v7,
} from "@tunnelwire/protocol"
import {
  decodeToClient,
  encodeToServer,
  type latest,
  NO_MESSAGE_INDEX,
  v2,
  latest as v3Latest,
} from "@tunnelwire/protocol/pinned/v3"
import { type Logger, logFrame } from "./logger.js"

/**
 * A decoded gateway frame. The two protocol families are different protocols (`v4-v7.md` §1):
 * v1–v3 frames arrive in the v3 shape, v4+ frames in the v7 shape (commands and events by
 * checkpoints per actor generation, gateway pings).
 */
export type Inbound =
  | { readonly checkpoints: false; readonly message: latest.ToClient }
  | { readonly checkpoints: true; readonly message: v7.ToClient }

/**
 * The runner's side of the wire for one protocol version. Tunnel traffic is handled in the v3
 * shape for every version: from v4 a request id is the 8 bytes `gatewayId ‖ requestId`, and the
 * message id is made here (the request's own counter) and read here (its index is a WebSocket
 * message's index). Anything a version cannot carry throws (`DowngradeError`), which would be a
 * runner bug: callers check `capabilities(version)` first.
 */
export class FrameCodec {
  readonly version: number
  readonly caps: Capabilities
  readonly #logger: Logger
  /** v4+: the next message index of each request the runner sends on, from 0. */
  readonly #nextIndex = new Map<string, number>()

  constructor(version: number, logger: Logger) {
    this.version = version
    this.caps = capabilities(version)
    this.#logger = logger
  }

  decode(bytes: Uint8Array): Inbound {
    if (this.caps.checkpoints) {
      const message = decodeCheckpointed(bytes, { version: this.version })
      logFrame(this.#logger, "in", message, CHECKPOINTED_SHAPE)
      return { checkpoints: true, message }
    }
    const message = decodeToClient(bytes, { version: this.version })
    logFrame(this.#logger, "in", message, INDEXED_SHAPE)
    return { checkpoints: false, message }
  }

  /** A v1–v3 message, or a tunnel message, KV request or `ToServerStopping` on any version. */
  encode(message: latest.ToServer): Uint8Array {
    if (!this.caps.checkpoints) {
      logFrame(this.#logger, "out", message, INDEXED_SHAPE)
      return encodeToServer(message, { version: this.version })
    }
    switch (message.tag) {
      case "ToServerTunnelMessage":
        return this.encodeCheckpointed(this.#tunnelOut(message.val))
      case "ToServerKvRequest":
      case "ToServerStopping":
        return this.encodeCheckpointed(message)
      default:
        throw new Error(`${message.tag} is written in the v4+ shape on v${this.version}`)
    }
  }

  /** A v4+ message (v7 shape, written as the connection's version). */
  encodeCheckpointed(message: v7.ToServer): Uint8Array {
    logFrame(this.#logger, "out", message, CHECKPOINTED_SHAPE)
    return encodeCheckpointed(message, { version: this.version })
  }

  /** A v4+ gateway tunnel message in the v3 shape the tunnel works in. */
  tunnelIn(message: v7.ToClientTunnelMessage): latest.ToClientTunnelMessage {
    const { gatewayId, requestId, messageIndex } = message.messageId
    const kind = message.messageKind
    return {
      requestId: joinRequestId(gatewayId, requestId),
      messageId: messageIdBytes(gatewayId, requestId, messageIndex),
      messageKind:
        kind.tag === "ToClientWebSocketMessage"
          ? { tag: kind.tag, val: { index: messageIndex, ...kind.val } }
          : kind,
      gatewayReplyTo: null,
    }
  }

  /** The request ended: its message counter goes (v4+). */
  forgetRequest(requestId: ArrayBuffer): void {
    this.#nextIndex.delete(idKey(requestId))
  }

  /**
   * The runner's answer to a WebSocket open. The latest shape has no `lastMsgIndex`; on a version
   * whose answer carries it (v2), a restored socket reports the last index it delivered, so the
   * gateway replays from the next one.
   */
  encodeWebSocketOpen(
    tunnel: { readonly requestId: ArrayBuffer; readonly messageId: ArrayBuffer },
    canHibernate: boolean,
    lastDeliveredIndex: number | null,
  ): Uint8Array {
    if (!this.caps.lastMsgIndexOnOpen) {
      return this.encode({
        tag: "ToServerTunnelMessage",
        val: { ...tunnel, messageKind: { tag: "ToServerWebSocketOpen", val: { canHibernate } } },
      })
    }
    if (this.version !== v2.version) {
      throw new Error(`lastMsgIndex is known for v${v2.version} only, not v${this.version}`)
    }
    const lastMsgIndex = lastDeliveredIndex === null ? NO_MESSAGE_INDEX : BigInt(lastDeliveredIndex)
    const message: v2.ToServer = {
      tag: "ToServerTunnelMessage",
      val: {
        ...tunnel,
        messageKind: { tag: "ToServerWebSocketOpen", val: { canHibernate, lastMsgIndex } },
      },
    }
    logFrame(this.#logger, "out", message, v2.version)
    return v2.encodeToServer(message)
  }

  #tunnelOut(message: latest.ToServerTunnelMessage): v7.ToServer {
    const kind = message.messageKind
    if (kind.tag === "TunnelAck") throw new Error(`v${this.version} has no TunnelAck`)
    const key = idKey(message.requestId)
    const messageIndex = this.#nextIndex.get(key) ?? 0
    // The index is u16 on the wire and wraps; the gateway routes by request id alone.
    this.#nextIndex.set(key, (messageIndex + 1) % 0x1_0000)
    const bytes = new Uint8Array(message.requestId)
    return {
      tag: "ToServerTunnelMessage",
      val: {
        messageId: {
          gatewayId: bytes.slice(0, GATEWAY_ID_BYTES).buffer,
          requestId: bytes.slice(GATEWAY_ID_BYTES).buffer,
          messageIndex,
        },
        messageKind: kind,
      },
    }
  }
}

const GATEWAY_ID_BYTES = 4
/** The shapes the runner works in: v3's for v1–v3, v7's from v4 (what the logs print). */
const INDEXED_SHAPE = v3Latest.version
const CHECKPOINTED_SHAPE = LATEST_VERSION

/** v4+: the tunnel's request id, `gatewayId ‖ requestId` (a request id is unique per gateway only). */
export function joinRequestId(gatewayId: ArrayBuffer, requestId: ArrayBuffer): ArrayBuffer {
  const joined = new Uint8Array(gatewayId.byteLength + requestId.byteLength)
  joined.set(new Uint8Array(gatewayId), 0)
  joined.set(new Uint8Array(requestId), gatewayId.byteLength)
  return joined.buffer
}

function messageIdBytes(
  gatewayId: ArrayBuffer,
  requestId: ArrayBuffer,
  messageIndex: number,
): ArrayBuffer {
  const joined = new Uint8Array(gatewayId.byteLength + requestId.byteLength + 2)
  joined.set(new Uint8Array(joinRequestId(gatewayId, requestId)), 0)
  new DataView(joined.buffer).setUint16(joined.length - 2, messageIndex, true)
  return joined.buffer
}
