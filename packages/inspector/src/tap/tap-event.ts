import type { TapEvent } from "@tunnelwire/gateway-mock"
import { isTapEvent } from "../../web/session-file.js"

export type {
  ActorEvent,
  FaultEvent,
  FrameEvent,
  RequestEvent,
  RunnerEvent,
  SocketEvent,
  TapEvent,
} from "@tunnelwire/gateway-mock"

/**
 * Reads one tap message; null for anything that is not a tap event of a type the inspector knows
 * (a newer gateway's extra event types are skipped rather than shown half-understood).
 */
export function parseTapEvent(text: string): TapEvent | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  return isTapEvent(value) ? value : null
}
