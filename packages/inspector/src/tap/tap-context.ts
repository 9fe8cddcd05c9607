import type { TapEvent } from "./tap-event.js"

export interface RunnerFacts {
  readonly runnerKey: string
  readonly runnerName: string | null
  readonly version: number | null
}

/**
 * What earlier events said about runners and requests, so a later event can be shown and filtered
 * by facts it does not carry itself: a frame names its runner by id only, a socket's close does
 * not say which runner carried it, a socket event does not say which protocol version it spoke.
 */
export class TapContext {
  readonly #runners = new Map<string, RunnerFacts>()
  readonly #actorOfRequest = new Map<string, string>()
  readonly #runnerOfRequest = new Map<string, string>()

  /** Learns from `event`; call it for every event in order, shown or not. */
  observe(event: TapEvent): void {
    switch (event.type) {
      case "runner":
        if (event.runnerId !== null) {
          this.#runners.set(event.runnerId, {
            runnerKey: event.runnerKey,
            runnerName: event.runnerName,
            version: event.version,
          })
        }
        return
      case "frame":
        if (!this.#runners.has(event.runnerId) || event.kind === "ToServerInit") {
          this.#runners.set(event.runnerId, {
            runnerKey: event.runnerKey,
            runnerName: event.kind === "ToServerInit" ? initName(event.text) : null,
            version: event.version,
          })
        }
        if (event.requestId !== null) this.#runnerOfRequest.set(event.requestId, event.runnerId)
        return
      case "socket":
        if (event.runnerId !== null) this.#runnerOfRequest.set(event.requestId, event.runnerId)
        this.#actorOfRequest.set(event.requestId, event.actorId)
        return
      case "request":
        this.#actorOfRequest.set(event.requestId, event.actorId)
        return
      default:
        return
    }
  }

  /** The runner an event concerns: its own, or the one that carried its request. */
  runnerIdOf(event: TapEvent): string | null {
    const own = event.type === "request" ? null : event.runnerId
    return own ?? this.#runnerOfRequest.get(requestIdOf(event) ?? "") ?? null
  }

  runner(runnerId: string | null): RunnerFacts | undefined {
    return runnerId === null ? undefined : this.#runners.get(runnerId)
  }

  actorOfRequest(requestId: string | null): string | undefined {
    return requestId === null ? undefined : this.#actorOfRequest.get(requestId)
  }
}

/** The runner's name from a stringified ToServerInit: it is told before the `connected` event. */
function initName(text: string): string | null {
  const quoted = /^ToServerInit\{name: ("(?:[^"\\]|\\.)*")/.exec(text)?.[1]
  if (quoted === undefined) return null
  try {
    return JSON.parse(quoted) as string
  } catch {
    return null
  }
}

/** The tunnel request an event concerns, if any. */
export function requestIdOf(event: TapEvent): string | null {
  return event.type === "runner" || event.type === "actor" ? null : event.requestId
}

/**
 * The kind an event is filtered and shown by: a frame's innermost message kind
 * (`ToClientWebSocketMessage`), or `type.event` for the gateway's own events (`socket.hibernate`).
 */
export function kindOf(event: TapEvent): string {
  switch (event.type) {
    case "frame":
      return event.kind
    case "fault":
      return "fault"
    default:
      return `${event.type}.${event.event}`
  }
}
