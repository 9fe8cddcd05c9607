import { PROTOCOL_VERSIONS, schemas } from "@tunnelwire/protocol/pinned/v3"
import { EVENT_TYPES } from "../../web/tap-filter.js"
import type { ActorEvent, RequestEvent, RunnerEvent, SocketEvent } from "../tap/tap-event.js"

// Every event the gateway's tap reports, as `type.event`; a record so a new event fails to compile.
const RUNNER_EVENTS: Record<RunnerEvent["event"], true> = {
  connected: true,
  disconnected: true,
  rejected: true,
}
const ACTOR_EVENTS: Record<ActorEvent["event"], true> = {
  created: true,
  starting: true,
  running: true,
  stopping: true,
  stopped: true,
  destroyed: true,
}
const SOCKET_EVENTS: Record<SocketEvent["event"], true> = {
  open: true,
  hibernate: true,
  wake: true,
  close: true,
}
const REQUEST_EVENTS: Record<RequestEvent["event"], true> = {
  start: true,
  response: true,
  end: true,
  abort: true,
}

/** The kinds a filter may name, in three groups for a usage message. */
export interface KnownKinds {
  readonly types: readonly string[]
  readonly events: readonly string[]
  /** Message kinds of every protocol version, and the same without their direction. */
  readonly messages: readonly string[]
}

export function knownKinds(): KnownKinds {
  const events = [
    ...Object.keys(RUNNER_EVENTS).map((event) => `runner.${event}`),
    ...Object.keys(ACTOR_EVENTS).map((event) => `actor.${event}`),
    ...Object.keys(SOCKET_EVENTS).map((event) => `socket.${event}`),
    ...Object.keys(REQUEST_EVENTS).map((event) => `request.${event}`),
  ]
  const messages = new Set<string>()
  for (const version of PROTOCOL_VERSIONS) {
    for (const type of Object.values(schemas[version].types)) {
      if (type.kind !== "union") continue
      for (const member of type.members) {
        if (typeof member.name !== "string") continue
        messages.add(member.name)
        const undirected = member.name.replace(/^To(Client|Server)/, "")
        if (undirected !== member.name) messages.add(undirected)
      }
    }
  }
  return { types: [...EVENT_TYPES], events, messages: [...messages].sort() }
}

/** The kinds in `wanted` that name nothing an event can be (compared without case). */
export function unknownKinds(wanted: readonly string[], known: KnownKinds): string[] {
  const all = new Set([...known.types, ...known.events, ...known.messages].map(lower))
  return wanted.filter((kind) => !all.has(lower(kind)))
}

/** The known kind closest to a mistyped one, if one is close enough to be what was meant. */
export function closestKind(kind: string, known: KnownKinds): string | undefined {
  let best: { kind: string; distance: number } | undefined
  for (const candidate of [...known.types, ...known.events, ...known.messages]) {
    const distance = editDistance(lower(kind), lower(candidate))
    if (best === undefined || distance < best.distance) best = { kind: candidate, distance }
  }
  return best !== undefined && best.distance <= Math.max(2, kind.length / 4) ? best.kind : undefined
}

function lower(text: string): string {
  return text.toLowerCase()
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
