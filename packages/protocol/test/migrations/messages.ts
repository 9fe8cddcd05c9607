/**
 * Hand-built messages of each version, for tests that compare a converted message against one
 * written independently in the older (or newer) shape.
 */
import type { v1, v2, v3 } from "../../src/index.js"

/** `length` bytes counting up from `first`, as a buffer of exactly those bytes. */
export function bytes(length: number, first: number): ArrayBuffer {
  return Uint8Array.from({ length }, (_, i) => (first + i) & 0xff).buffer
}

export const requestId = bytes(16, 0x10)
export const messageId = bytes(16, 0x20)

export function v1ToServer(messageKind: v1.ToServerTunnelMessageKind): v1.ToServer {
  return { tag: "ToServerTunnelMessage", val: { requestId, messageId, messageKind } }
}

export function v2ToServer(messageKind: v2.ToServerTunnelMessageKind): v2.ToServer {
  return { tag: "ToServerTunnelMessage", val: { requestId, messageId, messageKind } }
}

export function v3ToServer(messageKind: v3.ToServerTunnelMessageKind): v3.ToServer {
  return { tag: "ToServerTunnelMessage", val: { requestId, messageId, messageKind } }
}

export function v1ToClient(messageKind: v1.ToClientTunnelMessageKind): v1.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: { requestId, messageId, messageKind, gatewayReplyTo: null },
  }
}

export function v2ToClient(messageKind: v2.ToClientTunnelMessageKind): v2.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: { requestId, messageId, messageKind, gatewayReplyTo: null },
  }
}

export function v3ToClient(messageKind: v3.ToClientTunnelMessageKind): v3.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: { requestId, messageId, messageKind, gatewayReplyTo: null },
  }
}

export const actorConfig: v3.ActorConfig = {
  name: "chat-room",
  key: "rooms/lobby",
  createTs: 1_735_689_600_123n,
  input: bytes(8, 0x40),
}

/** A start command as v1 and v2 write it: the same shape in both, without `hibernatingRequestIds`. */
export function olderStartActor(): v2.ToClient {
  return {
    tag: "ToClientCommands",
    val: [
      {
        index: 7n,
        inner: {
          tag: "CommandStartActor",
          val: { actorId: "actor-1", generation: 3, config: actorConfig },
        },
      },
    ],
  }
}

export function v3StartActor(hibernatingRequestIds: readonly ArrayBuffer[]): v3.ToClient {
  return {
    tag: "ToClientCommands",
    val: [
      {
        index: 7n,
        inner: {
          tag: "CommandStartActor",
          val: { actorId: "actor-1", generation: 3, config: actorConfig, hibernatingRequestIds },
        },
      },
    ],
  }
}
