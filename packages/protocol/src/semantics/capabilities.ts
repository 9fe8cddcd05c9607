import { resolveType, type SchemaDescriptor } from "@tunnelwire/runtime"
import { schemaOf } from "../schema-registry.js"

/** What a protocol version lets a runner and a gateway do, read off that version's schema. */
export interface Capabilities {
  /** Gateway→runner WebSocket messages carry a u16 index (v2+; from v4 in the message id). */
  readonly messageIndex: boolean
  /** The runner acknowledges delivered messages with `ToServerWebSocketMessageAck` (v2+). */
  readonly webSocketMessageAck: boolean
  /** The runner's open answer says whether the socket may hibernate (v2+). */
  readonly canHibernate: boolean
  /** The runner's close carries the hibernate flag (`retry` in v2, `hibernate` in v3). */
  readonly closeHibernateFlag: boolean
  /** `CommandStartActor` names hibernating requests for the runner to restore (v3+; by id pair from v4). */
  readonly restoreHibernatingOnStart: boolean
  /** The runner's open answer reports the last message index it received (v2 only). */
  readonly lastMsgIndexOnOpen: boolean
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
  const result: Capabilities = {
    messageIndex: has("ToClientWebSocketMessage", "index") || has("MessageId", "messageIndex"),
    webSocketMessageAck: unionMembers(schema, "ToServerTunnelMessageKind").includes(
      "ToServerWebSocketMessageAck",
    ),
    canHibernate: has("ToServerWebSocketOpen", "canHibernate"),
    closeHibernateFlag:
      has("ToServerWebSocketClose", "hibernate") || has("ToServerWebSocketClose", "retry"),
    restoreHibernatingOnStart:
      has("CommandStartActor", "hibernatingRequestIds") ||
      has("CommandStartActor", "hibernatingRequests"),
    lastMsgIndexOnOpen: has("ToServerWebSocketOpen", "lastMsgIndex"),
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
