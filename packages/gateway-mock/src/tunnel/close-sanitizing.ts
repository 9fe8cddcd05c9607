import { clientCloseFor, closeFrameProblem, GatewayClose, withRayId } from "@tunnelwire/protocol"

export interface ClientClose {
  readonly code: number
  readonly reason: string
  /** Why the actor's own close could not be passed on, or null when it was. */
  readonly problem: string | null
}

/**
 * The close a client gets when its actor closed with `code` and `reason`. A runner may send a
 * code or reason that no close frame can carry (1005, 5000, a reason over 123 bytes): the client
 * then gets the gateway's own error close instead, and the caller reports the problem.
 */
export function clientCloseForActor(
  code: number | null,
  reason: string | null,
  rayId: () => string,
): ClientClose {
  const problem = closeFrameProblem(code, reason)
  if (problem === null) return { ...clientCloseFor(code, reason), problem }
  const rule = GatewayClose.invalidActorClose
  return { code: rule.code, reason: withRayId(rule.reason, rayId()), problem }
}
