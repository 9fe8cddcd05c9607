// Fixtures whose messages have the same type, and so the same bytes, in v1, v2 and v3. They are
// typed with the v1 types: the later versions' types of these members are identical, so the
// compiler accepts them in every version's table, and a version that changes one of them stops
// compiling until the fixture moves to the per-version files.
import type { v1 } from "../../src/index.js"
import type { GoldenFixture } from "./corpus.js"
import {
  ACTOR_ID,
  ACTOR_NAME,
  bytes,
  CREATE_TS,
  HTTP_REQUEST_HEADERS,
  HTTP_RESPONSE_HEADERS,
  KV_BINARY_KEY,
  KV_KEYS,
  KV_VALUES,
  MESSAGE_ID,
  PING_TS,
  REQUEST_BODY,
  REQUEST_ID,
  RESPONSE_BODY,
  RESPONSE_CHUNK,
  RUNNER_ID,
  RUNNER_LOST_THRESHOLD_MS,
  RUNNER_NAME,
  utf8,
  WEBSOCKET_BINARY,
  WEBSOCKET_HEADERS,
  WEBSOCKET_TEXT,
} from "./values.js"

type SharedToServer = Exclude<v1.ToServer, { tag: "ToServerEvents" | "ToServerTunnelMessage" }>
type SharedToClient = Exclude<v1.ToClient, { tag: "ToClientCommands" | "ToClientTunnelMessage" }>
type SharedToServerKind = Exclude<
  v1.ToServerTunnelMessageKind,
  { tag: "ToServerWebSocketOpen" | "ToServerWebSocketClose" }
>
type SharedToClientKind = Exclude<v1.ToClientTunnelMessageKind, { tag: "ToClientWebSocketMessage" }>

const LAST_COMMAND_INDEX = 17n
const LAST_EVENT_INDEX = 12n

export const sharedToServer: readonly GoldenFixture<SharedToServer>[] = [
  {
    name: "ToServerInit",
    message: {
      tag: "ToServerInit",
      val: {
        name: RUNNER_NAME,
        version: 4,
        totalSlots: 100,
        lastCommandIdx: LAST_COMMAND_INDEX,
        prepopulateActorNames: new Map([
          [ACTOR_NAME, { metadata: '{"icon":"💬","description":"one room of the chat"}' }],
          ["presence", { metadata: "{}" }],
        ]),
        metadata: '{"region":"eu-west-1","sdk":"tunnelwire"}',
      },
    },
  },
  {
    name: "ToServerInit.first-connect",
    message: {
      tag: "ToServerInit",
      val: {
        name: RUNNER_NAME,
        version: 1,
        totalSlots: 8,
        lastCommandIdx: null,
        prepopulateActorNames: null,
        metadata: null,
      },
    },
  },
  {
    name: "ToServerAckCommands",
    message: { tag: "ToServerAckCommands", val: { lastCommandIdx: LAST_COMMAND_INDEX } },
  },
  { name: "ToServerStopping", message: { tag: "ToServerStopping", val: null } },
  { name: "ToServerPing", message: { tag: "ToServerPing", val: { ts: PING_TS } } },
  kvRequest("KvGetRequest", 1, { tag: "KvGetRequest", val: { keys: KV_KEYS } }),
  kvRequest("KvListRequest.KvListAllQuery", 2, {
    tag: "KvListRequest",
    val: { query: { tag: "KvListAllQuery", val: null }, reverse: null, limit: null },
  }),
  kvRequest("KvListRequest.KvListRangeQuery", 3, {
    tag: "KvListRequest",
    val: {
      query: {
        tag: "KvListRangeQuery",
        val: { start: utf8("messages/0001"), end: utf8("messages/0100"), exclusive: true },
      },
      reverse: false,
      limit: 50n,
    },
  }),
  kvRequest("KvListRequest.KvListPrefixQuery", 4, {
    tag: "KvListRequest",
    val: {
      query: { tag: "KvListPrefixQuery", val: { key: utf8("messages/") } },
      reverse: true,
      limit: 10n,
    },
  }),
  kvRequest("KvPutRequest", 5, { tag: "KvPutRequest", val: { keys: KV_KEYS, values: KV_VALUES } }),
  kvRequest("KvDeleteRequest", 6, { tag: "KvDeleteRequest", val: { keys: [KV_BINARY_KEY] } }),
  kvRequest("KvDropRequest", 7, { tag: "KvDropRequest", val: null }),
]

function kvRequest(
  name: string,
  requestId: number,
  data: v1.KvRequestData,
): GoldenFixture<SharedToServer> {
  return {
    name: `ToServerKvRequest.${name}`,
    message: { tag: "ToServerKvRequest", val: { actorId: ACTOR_ID, requestId, data } },
  }
}

const KV_METADATA: readonly v1.KvMetadata[] = [
  { version: bytes(0, 0, 0, 0, 0, 0, 0, 3), createTs: CREATE_TS },
  { version: bytes(0, 0, 0, 0, 0, 0, 0, 9), createTs: CREATE_TS + 60_000n },
]

export const sharedToClient: readonly GoldenFixture<SharedToClient>[] = [
  {
    name: "ToClientInit",
    message: {
      tag: "ToClientInit",
      val: {
        runnerId: RUNNER_ID,
        lastEventIdx: LAST_EVENT_INDEX,
        metadata: { runnerLostThreshold: RUNNER_LOST_THRESHOLD_MS },
      },
    },
  },
  { name: "ToClientClose", message: { tag: "ToClientClose", val: null } },
  {
    name: "ToClientAckEvents",
    message: { tag: "ToClientAckEvents", val: { lastEventIdx: LAST_EVENT_INDEX } },
  },
  kvResponse("KvErrorResponse", 1, {
    tag: "KvErrorResponse",
    val: { message: "value too large: 2097152 bytes, the limit is 1048576" },
  }),
  kvResponse("KvGetResponse", 1, {
    tag: "KvGetResponse",
    val: { keys: KV_KEYS, values: KV_VALUES, metadata: KV_METADATA },
  }),
  kvResponse("KvListResponse", 3, {
    tag: "KvListResponse",
    val: { keys: KV_KEYS, values: KV_VALUES, metadata: KV_METADATA },
  }),
  kvResponse("KvPutResponse", 5, { tag: "KvPutResponse", val: null }),
  kvResponse("KvDeleteResponse", 6, { tag: "KvDeleteResponse", val: null }),
  kvResponse("KvDropResponse", 7, { tag: "KvDropResponse", val: null }),
]

function kvResponse(
  name: string,
  requestId: number,
  data: v1.KvResponseData,
): GoldenFixture<SharedToClient> {
  return {
    name: `ToClientKvResponse.${name}`,
    message: { tag: "ToClientKvResponse", val: { requestId, data } },
  }
}

export const sharedToServerlessServer: readonly GoldenFixture<v1.ToServerlessServer>[] = [
  {
    name: "ToServerlessServerInit",
    message: { tag: "ToServerlessServerInit", val: { runnerId: RUNNER_ID } },
  },
]

export const responseStart: GoldenFixture<SharedToServerKind> = {
  name: "ToServerResponseStart",
  message: {
    tag: "ToServerResponseStart",
    val: { status: 201, headers: HTTP_RESPONSE_HEADERS, body: RESPONSE_BODY, stream: false },
  },
}

export const sharedToServerKinds: readonly GoldenFixture<SharedToServerKind>[] = [
  { name: "TunnelAck", message: { tag: "TunnelAck", val: null } },
  responseStart,
  {
    name: "ToServerResponseStart.streaming",
    message: {
      tag: "ToServerResponseStart",
      val: {
        status: 200,
        headers: new Map([["content-type", "text/event-stream"]]),
        body: null,
        stream: true,
      },
    },
  },
  {
    name: "ToServerResponseChunk",
    message: { tag: "ToServerResponseChunk", val: { body: RESPONSE_CHUNK, finish: false } },
  },
  {
    name: "ToServerResponseChunk.finish",
    message: { tag: "ToServerResponseChunk", val: { body: bytes(), finish: true } },
  },
  { name: "ToServerResponseAbort", message: { tag: "ToServerResponseAbort", val: null } },
  {
    name: "ToServerWebSocketMessage",
    message: { tag: "ToServerWebSocketMessage", val: { data: WEBSOCKET_TEXT, binary: false } },
  },
  {
    name: "ToServerWebSocketMessage.binary",
    message: { tag: "ToServerWebSocketMessage", val: { data: WEBSOCKET_BINARY, binary: true } },
  },
]

export const requestStart: GoldenFixture<SharedToClientKind> = {
  name: "ToClientRequestStart",
  message: {
    tag: "ToClientRequestStart",
    val: {
      actorId: ACTOR_ID,
      method: "POST",
      path: "/rooms/general/messages?notify=true",
      headers: HTTP_REQUEST_HEADERS,
      body: REQUEST_BODY,
      stream: false,
    },
  },
}

export const sharedToClientKinds: readonly GoldenFixture<SharedToClientKind>[] = [
  { name: "TunnelAck", message: { tag: "TunnelAck", val: null } },
  requestStart,
  {
    name: "ToClientRequestStart.streaming",
    message: {
      tag: "ToClientRequestStart",
      val: {
        actorId: ACTOR_ID,
        method: "PUT",
        path: "/rooms/general/attachments/photo.jpg",
        headers: new Map([["content-type", "image/jpeg"]]),
        body: null,
        stream: true,
      },
    },
  },
  {
    name: "ToClientRequestChunk",
    message: {
      tag: "ToClientRequestChunk",
      val: { body: bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46), finish: false },
    },
  },
  {
    name: "ToClientRequestChunk.finish",
    message: { tag: "ToClientRequestChunk", val: { body: bytes(0xff, 0xd9), finish: true } },
  },
  { name: "ToClientRequestAbort", message: { tag: "ToClientRequestAbort", val: null } },
  {
    name: "ToClientWebSocketOpen",
    message: {
      tag: "ToClientWebSocketOpen",
      val: { actorId: ACTOR_ID, path: "/connect?room=general", headers: WEBSOCKET_HEADERS },
    },
  },
  {
    name: "ToClientWebSocketClose",
    message: { tag: "ToClientWebSocketClose", val: { code: 1001, reason: "page closed" } },
  },
  {
    name: "ToClientWebSocketClose.no-status",
    message: { tag: "ToClientWebSocketClose", val: { code: null, reason: null } },
  },
]

interface TunnelIds {
  readonly requestId: ArrayBuffer
  readonly messageId: ArrayBuffer
}

const TUNNEL_IDS: TunnelIds = { requestId: REQUEST_ID, messageId: MESSAGE_ID }

/** Wraps a tunnel message kind into the `ToServer` message that carries it. */
export function toServerTunnel<Kind>(kind: GoldenFixture<Kind>): GoldenFixture<{
  readonly tag: "ToServerTunnelMessage"
  readonly val: TunnelIds & { readonly messageKind: Kind }
}> {
  return {
    name: `ToServerTunnelMessage.${kind.name}`,
    message: { tag: "ToServerTunnelMessage", val: { ...TUNNEL_IDS, messageKind: kind.message } },
  }
}

/** Wraps a tunnel message kind into the `ToClient` message that carries it. */
export function toClientTunnel<Kind>(
  kind: GoldenFixture<Kind>,
  gatewayReplyTo: string | null = null,
): GoldenFixture<{
  readonly tag: "ToClientTunnelMessage"
  readonly val: TunnelIds & { readonly messageKind: Kind; readonly gatewayReplyTo: string | null }
}> {
  return {
    name: `ToClientTunnelMessage.${kind.name}${gatewayReplyTo === null ? "" : ".routed"}`,
    message: {
      tag: "ToClientTunnelMessage",
      val: { ...TUNNEL_IDS, messageKind: kind.message, gatewayReplyTo },
    },
  }
}

/** A `ToGateway` relaying one runner tunnel message between gateway processes. */
export function toGateway<Kind>(kind: GoldenFixture<Kind>): GoldenFixture<{
  readonly message: TunnelIds & { readonly messageKind: Kind }
}> {
  return { name: kind.name, message: { message: { ...TUNNEL_IDS, messageKind: kind.message } } }
}
