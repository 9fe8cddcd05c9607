import type { TapEvent } from "@tunnelwire/gateway-mock"

export type {
  ActorEvent,
  FaultEvent,
  FrameEvent,
  RequestEvent,
  RunnerEvent,
  SocketEvent,
  TapEvent,
} from "@tunnelwire/gateway-mock"

const TYPES = new Set(["frame", "runner", "actor", "socket", "request", "fault"])

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
  if (typeof value !== "object" || value === null) return null
  const { type, seq, time } = value as Record<string, unknown>
  if (typeof type !== "string" || !TYPES.has(type)) return null
  if (typeof seq !== "number" || typeof time !== "number") return null
  return value as TapEvent
}
