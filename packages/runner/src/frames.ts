import {
  capabilities,
  decodeToClient,
  encodeToServer,
  type latest,
  NO_MESSAGE_INDEX,
  v2,
} from "@tunnelwire/protocol/pinned/v3"

/**
 * The runner's side of the wire for one protocol version. The runner works in the latest shape
 * and the versioned codec converts at this edge; a message the version cannot carry throws
 * (`DowngradeError`), which would be a runner bug: callers check `capabilities(version)` first.
 */
export class FrameCodec {
  readonly version: number

  constructor(version: number) {
    this.version = version
  }

  encode(message: latest.ToServer): Uint8Array {
    return encodeToServer(message, { version: this.version })
  }

  decode(bytes: Uint8Array): latest.ToClient {
    return decodeToClient(bytes, { version: this.version })
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
    if (!capabilities(this.version).lastMsgIndexOnOpen) {
      return this.encode({
        tag: "ToServerTunnelMessage",
        val: { ...tunnel, messageKind: { tag: "ToServerWebSocketOpen", val: { canHibernate } } },
      })
    }
    if (this.version !== v2.version) {
      throw new Error(`lastMsgIndex is known for v${v2.version} only, not v${this.version}`)
    }
    const lastMsgIndex = lastDeliveredIndex === null ? NO_MESSAGE_INDEX : BigInt(lastDeliveredIndex)
    return v2.encodeToServer({
      tag: "ToServerTunnelMessage",
      val: {
        ...tunnel,
        messageKind: { tag: "ToServerWebSocketOpen", val: { canHibernate, lastMsgIndex } },
      },
    })
  }
}
