import type { ServerlessErrorKind } from "./serverless-error.js"
import type { ServerlessRequest, ServerlessRequestState } from "./serverless-request.js"

/** A serverless request as the admin API shows it. */
export interface ServerlessRequestInfo {
  readonly requestId: string
  readonly runnerName: string
  readonly namespace: string
  readonly url: string
  readonly state: ServerlessRequestState
  /** From the init event, once it arrived. */
  readonly runnerId: string | null
  /** From the init event: the runner's protocol version (3 for every v1–v3 packet). */
  readonly runnerProtocolVersion: number | null
  /** Milliseconds since the epoch. */
  readonly startedAt: number
  readonly drainStartedAt: number | null
  readonly endedAt: number | null
  /** Why the request failed, if it did. */
  readonly error: {
    readonly kind: ServerlessErrorKind
    readonly message: string
    readonly status: number | null
  } | null
}

export function serverlessRequestInfo(request: ServerlessRequest): ServerlessRequestInfo {
  const { error } = request
  return {
    requestId: request.id,
    runnerName: request.config.runnerName,
    namespace: request.config.namespace,
    url: request.config.url,
    state: request.state,
    runnerId: request.runnerId,
    runnerProtocolVersion: request.runnerProtocolVersion,
    startedAt: request.startedAt,
    drainStartedAt: request.drainStartedAt,
    endedAt: request.endedAt,
    error:
      error === null ? null : { kind: error.kind, message: error.message, status: error.status },
  }
}
