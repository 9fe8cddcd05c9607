// The fake gateway's v4+ edge. Tests speak the v3 model (16-byte request ids, one command and
// event index per connection); a v4+ runner connection carries the v7 shape (`v4-v7.md` §2):
// request ids of 4 bytes under a 4-byte gateway id, indexes per actor generation. This module
// converts at the fake's socket, per connection, written from the reference and not from the
// runner's code, so the same behaviour tests run over every version.
import { capabilities, idKey, type v7 } from "@tunnelwire/protocol"
import type { latest } from "@tunnelwire/protocol/pinned/v3"

const GATEWAY_ID = new Uint8Array([0xfa, 0x4e, 0x00, 0x07]).buffer
const U16 = 0x1_0000

export class V7Translation {
  /** A v3 request id's v7 request id (4 bytes), and back. */
  readonly #shortIds = new Map<string, ArrayBuffer>()
  readonly #longIds = new Map<string, ArrayBuffer>()
  /** The gateway's next message index per request (§6: open is 0, its first message 1). */
  readonly #nextIndex = new Map<string, number>()
  /** The next command index per actor and generation. */
  readonly #commandIndex = new Map<string, bigint>()
  /** The highest event index the runner sent, per actor and generation. */
  readonly #eventIndex = new Map<string, { actorId: string; generation: number; index: bigint }>()
  #nextRequest = 1

  toClient(message: latest.ToClient, version: number): v7.ToClient {
    switch (message.tag) {
      case "ToClientInit":
        return {
          tag: "ToClientInit",
          val: {
            runnerId: message.val.runnerId,
            metadata: {
              runnerLostThreshold: message.val.metadata.runnerLostThreshold,
              actorStopThreshold: 30_000n,
              serverlessDrainGracePeriod: null,
            },
          },
        }
      case "ToClientCommands":
        return { tag: "ToClientCommands", val: message.val.map((c) => this.#command(c.inner)) }
      case "ToClientAckEvents":
        // The fake acknowledges every event it has seen; v4+ says so per actor generation.
        return {
          tag: "ToClientAckEvents",
          val: {
            // A v4 checkpoint names no generation (the converter's placeholder is 0).
            lastEventCheckpoints: [...this.#eventIndex.values()].map((c) =>
              capabilities(version).generationInCheckpoint ? { ...c } : { ...c, generation: 0 },
            ),
          },
        }
      case "ToClientKvResponse":
        return { tag: "ToClientKvResponse", val: kvResponse(message.val) }
      case "ToClientTunnelMessage":
        return { tag: "ToClientTunnelMessage", val: this.#tunnelToClient(message.val) }
      case "ToClientClose":
        throw new Error("v4+ has no ToClientClose: the engine closes the socket instead")
    }
  }

  toServer(message: v7.ToServer): latest.ToServer {
    switch (message.tag) {
      case "ToServerInit":
        return { tag: "ToServerInit", val: { ...message.val, lastCommandIdx: null } }
      case "ToServerEvents":
        return {
          tag: "ToServerEvents",
          val: message.val.map(({ checkpoint, inner }) => {
            const key = `${checkpoint.actorId}/${checkpoint.generation}`
            const seen = this.#eventIndex.get(key)
            if (seen === undefined || seen.index < checkpoint.index) {
              this.#eventIndex.set(key, { ...checkpoint })
            }
            const { actorId, generation } = checkpoint
            const event: latest.Event =
              inner.tag === "EventActorIntent"
                ? { tag: inner.tag, val: { actorId, generation, ...inner.val } }
                : inner.tag === "EventActorStateUpdate"
                  ? { tag: inner.tag, val: { actorId, generation, ...inner.val } }
                  : { tag: inner.tag, val: { actorId, generation, ...inner.val } }
            return { index: checkpoint.index, inner: event }
          }),
        }
      case "ToServerAckCommands":
        return {
          tag: "ToServerAckCommands",
          val: {
            lastCommandIdx: message.val.lastCommandCheckpoints.reduce(
              // biome-ignore lint/complexity/useMathMinMax: indexes are bigints, which Math.max refuses
              (max, { index }) => (index > max ? index : max),
              -1n,
            ),
          },
        }
      case "ToServerStopping":
        return message
      case "ToServerPong":
        // The v3 model has no pong; recorded as the ping it answers (v1–v3 runners ping).
        return { tag: "ToServerPing", val: message.val }
      case "ToServerKvRequest": {
        const { data } = message.val
        if (data.tag === "KvDeleteRangeRequest") throw new Error("the fake KV has no delete-range")
        return { tag: "ToServerKvRequest", val: { ...message.val, data } }
      }
      case "ToServerTunnelMessage": {
        const { gatewayId, requestId, messageIndex } = message.val.messageId
        const long = this.#longIds.get(idKey(requestId))
        if (long === undefined || idKey(gatewayId) !== idKey(GATEWAY_ID)) {
          throw new Error(`a tunnel message for a request this gateway never opened`)
        }
        const messageId = new Uint8Array(16)
        new DataView(messageId.buffer).setUint16(0, messageIndex)
        messageId.set(new Uint8Array(requestId), 2)
        return {
          tag: "ToServerTunnelMessage",
          val: {
            requestId: long,
            messageId: messageId.buffer,
            messageKind: message.val.messageKind,
          },
        }
      }
    }
  }

  #command(command: latest.Command): v7.CommandWrapper {
    const { actorId, generation } = command.val
    const key = `${actorId}/${generation}`
    const index = this.#commandIndex.get(key) ?? 0n
    this.#commandIndex.set(key, index + 1n)
    const checkpoint = { actorId, generation, index }
    if (command.tag === "CommandStopActor") {
      return { checkpoint, inner: { tag: "CommandStopActor", val: null } }
    }
    return {
      checkpoint,
      inner: {
        tag: "CommandStartActor",
        val: {
          config: command.val.config,
          hibernatingRequests: command.val.hibernatingRequestIds.map((id) => ({
            gatewayId: GATEWAY_ID,
            requestId: this.#shortId(id),
          })),
        },
      },
    }
  }

  #tunnelToClient(message: latest.ToClientTunnelMessage): v7.ToClientTunnelMessage {
    const kind = message.messageKind
    if (kind.tag === "TunnelAck") throw new Error("v4+ has no TunnelAck")
    const requestId = this.#shortId(message.requestId)
    const key = idKey(requestId)
    const counted = this.#nextIndex.get(key) ?? 0
    // A test's explicit WebSocket message index wins (hibernation tests pick them); the counter
    // follows it, as the gateway's one counter per request covers every kind.
    const messageIndex = kind.tag === "ToClientWebSocketMessage" ? kind.val.index : counted
    this.#nextIndex.set(key, (messageIndex + 1) % U16)
    return {
      messageId: { gatewayId: GATEWAY_ID, requestId, messageIndex },
      messageKind:
        kind.tag === "ToClientWebSocketMessage"
          ? { tag: kind.tag, val: { data: kind.val.data, binary: kind.val.binary } }
          : kind,
    }
  }

  /** The v7 request id standing for a test's 16-byte one (hex of the runner's 8-byte id too). */
  #shortId(long: ArrayBuffer): ArrayBuffer {
    const existing = this.#shortIds.get(idKey(long))
    if (existing !== undefined) return existing
    const short = new Uint8Array(4)
    new DataView(short.buffer).setUint32(0, this.#nextRequest++)
    this.#shortIds.set(idKey(long), short.buffer)
    this.#longIds.set(idKey(short.buffer), long)
    return short.buffer
  }

  /** The key the runner uses for a test's request (`gatewayId ‖ requestId`, hex). */
  runnerRequestKey(long: ArrayBuffer): string {
    return idKey(GATEWAY_ID) + idKey(this.#shortId(long))
  }
}

function kvResponse(response: latest.ToClientKvResponse): v7.ToClientKvResponse {
  const { data } = response
  const metadata = (list: readonly latest.KvMetadata[]) =>
    list.map(({ version, createTs }) => ({ version, updateTs: createTs }))
  if (data.tag === "KvGetResponse") {
    return {
      ...response,
      data: { tag: data.tag, val: { ...data.val, metadata: metadata(data.val.metadata) } },
    }
  }
  if (data.tag === "KvListResponse") {
    return {
      ...response,
      data: { tag: data.tag, val: { ...data.val, metadata: metadata(data.val.metadata) } },
    }
  }
  return { ...response, data }
}
