import { kindOf, requestIdOf, type TapContext } from "../tap/tap-context.js"
import type { TapEvent } from "../tap/tap-event.js"

/** Which events to show; an empty list lets everything through on that axis. */
export interface TapFilter {
  /** Runner id, runner key or runner name. */
  readonly runners: readonly string[]
  readonly actors: readonly string[]
  /** A request id or a prefix of its hex (the short ids the tail prints). */
  readonly requests: readonly string[]
  /**
   * A message kind (`ToClientWebSocketMessage`), the same without its direction
   * (`WebSocketMessage` matches both), an event (`socket.hibernate`) or an event type (`socket`, `frame`).
   */
  readonly kinds: readonly string[]
}

/** Filter values from repeatable, comma-separated options: `--kind a,b --kind c`. */
export function filterValues(options: readonly string[] | undefined): string[] {
  return (options ?? [])
    .flatMap((option) => option.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "")
}

export function matchesFilter(event: TapEvent, filter: TapFilter, context: TapContext): boolean {
  return (
    matchesRunner(event, filter.runners, context) &&
    matchesActor(event, filter.actors, context) &&
    matchesRequest(event, filter.requests) &&
    matchesKind(event, filter.kinds)
  )
}

function matchesRunner(event: TapEvent, runners: readonly string[], context: TapContext): boolean {
  if (runners.length === 0) return true
  const runnerId = context.runnerIdOf(event)
  const facts = context.runner(runnerId)
  const names = [runnerId, facts?.runnerKey, facts?.runnerName]
  if (event.type === "runner") names.push(event.runnerKey, event.runnerName)
  return runners.some((runner) => names.includes(runner))
}

function matchesActor(event: TapEvent, actors: readonly string[], context: TapContext): boolean {
  if (actors.length === 0) return true
  switch (event.type) {
    case "actor":
    case "socket":
    case "request":
      return actors.includes(event.actorId)
    case "frame": {
      const actorId = context.actorOfRequest(event.requestId)
      if (actorId !== undefined) return actors.includes(actorId)
      // Commands, events and the frame that opens a request name their actor only in the message.
      return actors.some((actor) => event.text.includes(`actorId: ${JSON.stringify(actor)}`))
    }
    default:
      return false
  }
}

function matchesRequest(event: TapEvent, requests: readonly string[]): boolean {
  if (requests.length === 0) return true
  const requestId = requestIdOf(event)
  if (requestId === null) return false
  return requests.some((request) => requestId.startsWith(request.toLowerCase()))
}

function matchesKind(event: TapEvent, kinds: readonly string[]): boolean {
  if (kinds.length === 0) return true
  const eventKinds = kindOf(event).toLowerCase().split("+")
  return kinds.some((wanted) => {
    const kind = wanted.toLowerCase()
    if (event.type === kind) return true
    return eventKinds.some((own) => own === kind || own.replace(/^to(client|server)/, "") === kind)
  })
}
