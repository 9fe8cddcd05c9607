// Every WebSocket close the runner tunnel protocol uses, as data: one place defines each code and
// reason string, and the runner, the gateway mock and the inspector import them from here.
import { capabilities } from "./capabilities.js"

/** WebSocket close codes in use (RFC 6455 §7.4.1). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  /** Reported by a close event when the closer gave no code; never sent in a close frame. */
  noStatusReceived: 1005,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
} as const

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode]

export interface CloseRule {
  readonly code: number
  readonly reason: string
  /** Who closes with it, and when. */
  readonly purpose: string
}

/** Closes initiated by the runner for one tunneled WebSocket. */
export const RunnerClose = {
  ackTimeout: {
    code: CloseCode.internalError,
    reason: "ws.ack_timeout",
    purpose: "the gateway did not acknowledge a tunnel message in time",
  },
  messageIndexSkip: {
    code: CloseCode.policyViolation,
    reason: "ws.message_index_skip",
    purpose: "a hibernatable socket received an index that skips ahead: a message was lost",
  },
  metaNotFoundDuringRestore: {
    code: CloseCode.internalError,
    reason: "ws.meta_not_found_during_restore",
    purpose: "the gateway named a hibernating request the actor has no metadata for",
  },
  restoreError: {
    code: CloseCode.internalError,
    reason: "ws.restore_error",
    purpose: "restoring a hibernating socket failed in the actor's hook",
  },
  staleMetadata: {
    code: CloseCode.internalError,
    reason: "ws.stale_metadata",
    purpose: "the actor kept metadata for a socket the gateway no longer hibernates",
  },
  tunnelShutdown: {
    code: CloseCode.goingAway,
    reason: "ws.tunnel_shutdown",
    purpose: "the runner is shutting down its tunnel",
  },
  actorStopped: {
    code: CloseCode.goingAway,
    reason: "actor.stopped",
    purpose: "the actor stopped and the socket cannot hibernate",
  },
  duplicateOpen: {
    code: CloseCode.policyViolation,
    reason: "ws.duplicate_open",
    purpose: "the gateway opened a request id that is already open",
  },
  actorNotFound: {
    code: CloseCode.internalError,
    reason: "ws.actor_not_found",
    purpose: "the gateway opened a socket to an actor this runner is not running",
  },
  handlerError: {
    code: CloseCode.internalError,
    reason: "ws.handler_error",
    purpose: "the actor has no WebSocket handler, or its handler threw while accepting the socket",
  },
  outboundBufferFull: {
    code: CloseCode.internalError,
    reason: "ws.outbound_buffer_full",
    purpose: "the actor sent more than the runner holds while the gateway is unreachable or slow",
  },
} as const satisfies Record<string, CloseRule>

/** Closes the gateway applies to a client's WebSocket. */
export const GatewayClose = {
  closed: {
    code: CloseCode.normal,
    reason: "ws.closed",
    purpose: "the actor closed the socket without a code or reason of its own",
  },
  downstreamClosed: {
    code: CloseCode.goingAway,
    reason: "ws.downstream_closed",
    purpose: "the runner side went away and the socket cannot hibernate",
  },
  serviceUnavailable: {
    code: CloseCode.internalError,
    reason: "guard.websocket_service_unavailable",
    purpose: "no runner can host the actor",
  },
  serviceTimeout: {
    code: CloseCode.internalError,
    reason: "guard.websocket_service_timeout",
    purpose: "the actor did not accept the socket in time",
  },
  pendingLimitReached: {
    code: CloseCode.internalError,
    reason: "guard.websocket_pending_limit_reached",
    purpose: "messages waiting for a hibernating actor exceeded their bound",
  },
  clientTooSlow: {
    code: CloseCode.policyViolation,
    reason: "guard.websocket_client_too_slow",
    purpose:
      "the client left the actor's messages unread past the gateway's bound (bytes waiting or time without progress)",
  },
  shutdown: {
    code: CloseCode.goingAway,
    reason: "gateway.shutdown",
    purpose: "the gateway is stopping; applies to client sockets and runner connections alike",
  },
  invalidActorClose: {
    code: CloseCode.internalError,
    reason: "guard.websocket_invalid_close",
    purpose: "the actor closed with a code or reason that a WebSocket close frame cannot carry",
  },
} as const satisfies Record<string, CloseRule>

/** Closes the gateway applies to a runner's own connection (not to one tunneled socket). */
export const RunnerConnectionClose = {
  initTimeout: {
    code: CloseCode.policyViolation,
    reason: "runner.init_timeout",
    purpose: "the runner sent no ToServerInit in time after connecting",
  },
  protocolViolation: {
    code: CloseCode.protocolError,
    reason: "runner.protocol_violation",
    purpose: "a message out of order: anything before ToServerInit, a second one, or a text frame",
  },
  malformedFrame: {
    code: CloseCode.invalidPayload,
    reason: "runner.malformed_frame",
    purpose: "a frame that does not decode as a ToServer of the connection's protocol version",
  },
  evicted: {
    code: CloseCode.normal,
    reason: "runner.evicted",
    purpose: "a newer connection with the same runner key replaced this one: do not reconnect",
  },
  engineEviction: {
    code: CloseCode.normal,
    reason: "ws.eviction",
    purpose:
      "v4+: the engine's eviction (a newer connection, or the runner was told to go): shut down, do not reconnect",
  },
  pingTimeout: {
    code: CloseCode.internalError,
    reason: "runner.ping_timeout",
    purpose: "v4+: the runner answered no ToClientPing within the ping timeout",
  },
} as const satisfies Record<string, CloseRule>

/**
 * Whether a runner connection closed with `reason` (ray id or not) was evicted and must not
 * reconnect: v1–v3 gateways say `runner.evicted` (they also have `ToClientClose`), v4+ engines
 * `ws.eviction#ray` (`v4-v7.md` §8).
 */
export function isEvictionReason(version: number, reason: string): boolean {
  const rule = capabilities(version).toClientClose
    ? RunnerConnectionClose.evicted
    : RunnerConnectionClose.engineEviction
  return withoutRayId(reason) === rule.reason
}

/** The reason the runner's own WebSocket to the gateway closes with on graceful shutdown. */
export const RUNNER_SHUTDOWN_REASON = "pegboard.runner_shutdown"

/**
 * The gateway's error-style close reason: `group.code#rayId`, where the ray id lets a client's
 * report be matched with the gateway's logs.
 */
export function withRayId(reason: string, rayId: string): string {
  return `${reason}#${rayId}`
}

/** The reason without its `#rayId` suffix, for comparing with the constants above. */
export function withoutRayId(reason: string): string {
  const hash = reason.indexOf("#")
  return hash === -1 ? reason : reason.slice(0, hash)
}

/** The longest close reason a close frame carries: 125 payload bytes less the 2-byte code. */
export const MAX_CLOSE_REASON_BYTES = 123

/**
 * Why a close frame cannot carry `code` and `reason`, or null when it can. Sendable codes are
 * 1000–1014 except 1004 (reserved), 1005 and 1006 (only ever reported locally), and 3000–4999
 * (RFC 6455 §7.4; 1012–1014 are registered with IANA); a reason is at most 123 UTF-8 bytes.
 */
export function closeFrameProblem(code: number | null, reason: string | null): string | null {
  if (code !== null && !isSendableCloseCode(code)) return `close code ${code} cannot be sent`
  const bytes = reason === null ? 0 : new TextEncoder().encode(reason).byteLength
  if (bytes > MAX_CLOSE_REASON_BYTES)
    return `close reason of ${bytes} UTF-8 bytes exceeds ${MAX_CLOSE_REASON_BYTES}`
  return null
}

function isSendableCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false
  if (code >= 3000 && code <= 4999) return true
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006
}

/** What the gateway closes the client with when the actor closed with `code`/`reason` (or none). */
export function clientCloseFor(
  code: number | null,
  reason: string | null,
): {
  code: number
  reason: string
} {
  return { code: code ?? GatewayClose.closed.code, reason: reason ?? GatewayClose.closed.reason }
}
