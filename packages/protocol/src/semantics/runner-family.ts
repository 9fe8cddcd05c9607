import { capabilities } from "./capabilities.js"

/**
 * What mk1 serverless init packets count as (Rivet's engine maps them to version 3). Defined here,
 * not in the v3 → v4 converters, which a user's `bump` may rewrite.
 */
export const MK1_PROTOCOL_VERSION = 3

// Rivet's engine treats v1–v3 and v4+ as two protocols ("mk1" and "mk2": `is_mk2(v) = v > 3`), each
// with its own runner workflow, ping direction and bookkeeping. What a gateway does differently
// per family is decided here, once.

/**
 * Whether `version` belongs to the second family (v4 and later): commands and events by
 * checkpoint, which is where the engine's two runner workflows part.
 */
export function isSecondFamily(version: number): boolean {
  return capabilities(version).checkpoints
}

/**
 * Timing the engine uses with second-family runners (Rivet's config defaults): the gateway pings
 * every `pingIntervalMs`, and a runner whose last pong is older than `pingTimeoutMs` is gone.
 * First-family runners ping the gateway instead, which never pings them.
 */
export const SECOND_FAMILY_TIMING = {
  pingIntervalMs: 3_000,
  pingTimeoutMs: 15_000,
  /** `ProtocolMetadata.actorStopThreshold` (v6+). */
  actorStopThresholdMs: 30_000,
  /** `ProtocolMetadata.serverlessDrainGracePeriod` (v6+), sent only to serverless runners. */
  serverlessDrainGracePeriodMs: 10_000,
} as const

/**
 * The first gateway→runner message index of a second-family request: one counter per request
 * covers every kind, so a WebSocket's open is 0 and its first message 1. A runner's first message
 * for a hibernatable socket must therefore be `lastIndex + 1` with `lastIndex` starting at 0.
 */
export const FIRST_TUNNEL_INDEX = 0

/**
 * Whether an acknowledgement checkpoint (`ToClientAckEvents`, `ToServerAckCommands`) names the
 * actor's generation: from v5. A v4 acknowledgement names the actor only, and covers its current
 * generation; the versioned codec reads it as generation 0 and writes only generation 0 to v4.
 */
export function ackNamesGeneration(version: number): boolean {
  return capabilities(version).generationInCheckpoint
}

/** The generation a v4 acknowledgement checkpoint carries in the v7 shape: none, 0. */
export const UNNAMED_GENERATION = 0

/** Actor KV limits of Rivet's engine (every version; v7 adds delete-range, bound the same way). */
export const KV_LIMITS = {
  maxKeyBytes: 2_048,
  maxValueBytes: 128 * 1024,
  maxKeysPerRequest: 128,
  maxPutPayloadBytes: 976 * 1024,
  listDefaultLimit: 16_384,
} as const

/**
 * The protocol version a serverless runner of `version` names in its init packet
 * (`ToServerlessServerInit.runnerProtocolVersion`): its own from v4; a first-family packet has no
 * such field and the engine counts it as 3, whichever of v1–v3 the runner speaks.
 */
export function serverlessInitVersion(version: number): number {
  return capabilities(version).serverlessInitVersion ? version : MK1_PROTOCOL_VERSION
}
