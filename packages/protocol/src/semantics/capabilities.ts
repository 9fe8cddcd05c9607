import { resolveType, type SchemaDescriptor, type TypeDescriptor } from "@tunnelwire/runtime"
import { schemaOf } from "../schema-registry.js"

/** Which side sends the keepalive: the runner (`ToServerPing`) or the gateway (`ToClientPing`). */
export type PingSender = "runner" | "gateway"

/** What a protocol version lets a runner and a gateway do, read off that version's schema. */
export interface Capabilities {
  /** Gateway→runner WebSocket messages carry a u16 index (v2+; from v4 in the message id). */
  readonly messageIndex: boolean
  /** The runner acknowledges delivered messages with `ToServerWebSocketMessageAck` (v2+). */
  readonly webSocketMessageAck: boolean
  /** The runner's open answer says whether the socket may hibernate (v2+). */
  readonly canHibernate: boolean
  /** The runner's close carries the hibernate flag (`retry` in v2, `hibernate` in v3+). */
  readonly closeHibernateFlag: boolean
  /** `CommandStartActor` names hibernating requests for the runner to restore (v3+; by id pair from v4). */
  readonly restoreHibernatingOnStart: boolean
  /** The runner's open answer reports the last message index it received (v2 only). */
  readonly lastMsgIndexOnOpen: boolean

  /**
   * Commands and events are numbered per actor generation and acknowledged by
   * `ActorCheckpoint`s (v4+); before, one index per connection, exchanged in the init messages.
   */
  readonly checkpoints: boolean
  /**
   * The actor generation travels only in the checkpoint (v5+): events and commands carry neither
   * actor id nor generation. In v4 the checkpoint has the actor id and the messages the generation.
   */
  readonly generationInCheckpoint: boolean
  /** The init messages carry `lastCommandIdx` / `lastEventIdx` (v1–v3). */
  readonly initLastIndexes: boolean
  /** Who pings: the runner `ToServerPing` (v1–v3) or the gateway `ToClientPing`, answered by `ToServerPong` (v4+). */
  readonly pingSender: PingSender
  /** The gateway can end the connection with `ToClientClose` (v1–v3). */
  readonly toClientClose: boolean
  /** The engine-internal `ToRunner` union has `ToRunnerClose` (v4+); never on the runner socket. */
  readonly toRunnerClose: boolean
  /** Every tunnel message is acknowledged with a `TunnelAck` (v1–v3). */
  readonly tunnelAck: boolean
  /** Bytes of a tunnel request id: 16 (a UUID) in v1–v3, 4 from v4. */
  readonly requestIdLength: number
  /** Bytes of a tunnel message id: 16 in v1–v3, 10 from v4 (gateway id, request id, u16 index). */
  readonly messageIdLength: number
  /** The message id names the gateway that sent it (v4+); v1–v3 have `gatewayReplyTo` instead. */
  readonly gatewayIdInMessageId: boolean
  /** Hibernating requests are named by `{gatewayId, requestId}` pairs (v4+), not request ids. */
  readonly hibernatingRequestIdPairs: boolean
  /** KV has `KvDeleteRangeRequest` (v7): deletes `[start, end)`. */
  readonly kvDeleteRange: boolean
  /** `ProtocolMetadata` has `actorStopThreshold` and `serverlessDrainGracePeriod` (v6+). */
  readonly metadataStopThresholds: boolean
  /** The serverless init names the runner's protocol version (v4+). */
  readonly serverlessInitVersion: boolean
  /**
   * `ToClientInit` tells the runner how long the gateway keeps it while disconnected
   * (`ProtocolMetadata.runnerLostThreshold`, every version so far): a runner not accepted again
   * within it force-stops its actors, which the gateway has rescheduled.
   */
  readonly runnerLostThreshold: boolean
}

const cache = new Map<number, Capabilities>()

/**
 * The capabilities of `version`. Derived from the schema itself, so they cannot disagree with the
 * wire, and a new version gets the right answer without anyone restating it. Unknown versions
 * throw `VersionError`.
 */
export function capabilities(version: number): Capabilities {
  const cached = cache.get(version)
  if (cached !== undefined) return cached
  const schema = schemaOf(version)
  const has = (type: string, field: string) => structFields(schema, type).includes(field)
  const member = (union: string, name: string) => unionMembers(schema, union).includes(name)
  const result: Capabilities = {
    messageIndex: has("ToClientWebSocketMessage", "index") || has("MessageId", "messageIndex"),
    webSocketMessageAck: member("ToServerTunnelMessageKind", "ToServerWebSocketMessageAck"),
    canHibernate: has("ToServerWebSocketOpen", "canHibernate"),
    closeHibernateFlag:
      has("ToServerWebSocketClose", "hibernate") || has("ToServerWebSocketClose", "retry"),
    restoreHibernatingOnStart:
      has("CommandStartActor", "hibernatingRequestIds") ||
      has("CommandStartActor", "hibernatingRequests"),
    lastMsgIndexOnOpen: has("ToServerWebSocketOpen", "lastMsgIndex"),
    checkpoints: has("EventWrapper", "checkpoint") && has("CommandWrapper", "checkpoint"),
    generationInCheckpoint: has("ActorCheckpoint", "generation"),
    initLastIndexes: has("ToServerInit", "lastCommandIdx"),
    pingSender: member("ToClient", "ToClientPing") ? "gateway" : "runner",
    toClientClose: member("ToClient", "ToClientClose"),
    toRunnerClose: member("ToRunner", "ToRunnerClose"),
    tunnelAck: member("ToServerTunnelMessageKind", "TunnelAck"),
    requestIdLength: byteLength(schema, "RequestId"),
    messageIdLength: byteLength(schema, "MessageId"),
    gatewayIdInMessageId: has("MessageId", "gatewayId"),
    hibernatingRequestIdPairs: has("CommandStartActor", "hibernatingRequests"),
    kvDeleteRange: member("KvRequestData", "KvDeleteRangeRequest"),
    metadataStopThresholds:
      has("ProtocolMetadata", "actorStopThreshold") &&
      has("ProtocolMetadata", "serverlessDrainGracePeriod"),
    serverlessInitVersion: has("ToServerlessServerInit", "runnerProtocolVersion"),
    runnerLostThreshold: has("ProtocolMetadata", "runnerLostThreshold"),
  }
  cache.set(version, result)
  return result
}

function structFields(schema: SchemaDescriptor, name: string): string[] {
  const type = schema.types[name]
  if (type === undefined) return []
  const resolved = resolveType(schema, type)
  return resolved.kind === "struct" ? resolved.fields.map((f) => f.name) : []
}

function unionMembers(schema: SchemaDescriptor, name: string): string[] {
  const type = schema.types[name]
  if (type === undefined) return []
  const resolved = resolveType(schema, type)
  return resolved.kind === "union" ? resolved.members.map((m) => String(m.name)) : []
}

const FIXED_PRIMITIVE_BYTES: Readonly<Record<string, number>> = {
  bool: 1,
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  u64: 8,
  i64: 8,
  f64: 8,
}

/** The encoded size of a fixed-size named type (ids); a schema where it is not fixed is a bug here. */
function byteLength(schema: SchemaDescriptor, name: string): number {
  const size = fixedSize(schema, { kind: "ref", name })
  if (size === undefined) throw new Error(`v${schema.version}: ${name} has no fixed size`)
  return size
}

function fixedSize(schema: SchemaDescriptor, type: TypeDescriptor): number | undefined {
  const resolved = resolveType(schema, type)
  if (resolved.kind === "data") return resolved.length
  if (resolved.kind === "struct") {
    let total = 0
    for (const field of resolved.fields) {
      const size = fixedSize(schema, field.type)
      if (size === undefined) return undefined
      total += size
    }
    return total
  }
  return FIXED_PRIMITIVE_BYTES[resolved.kind]
}
