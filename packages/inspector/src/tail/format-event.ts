import { kindOf, type RunnerFacts, requestIdOf, type TapContext } from "../../web/tap-filter.js"
import type { TapEvent } from "../tap/tap-event.js"
import type { Paint } from "./paint.js"

const RUNNER_WIDTH = 14
const KIND_WIDTH = 28

/**
 * One line per event: time, runner, protocol version, direction (→ to the runner, ← from it),
 * short request id, kind, and the stringified frame or what happened.
 * `12:00:00.000  example        v3 → 1a2b3c4d ToClientWebSocketMessage  ToClientTunnelMessage{…}`
 */
export function formatEvent(event: TapEvent, context: TapContext, paint: Paint): string {
  const runnerId = context.runnerIdOf(event)
  const facts = context.runner(runnerId)
  const version = event.type === "runner" ? event.version : (facts?.version ?? null)
  const requestId = requestIdOf(event)
  const kind = kindOf(event)
  return [
    paint.dim(clockTime(event.time)),
    paint.cyan(fit(runnerLabel(event, runnerId, facts), RUNNER_WIDTH)),
    version === null ? "  " : `v${version}`,
    direction(event, paint),
    paint.dim(requestId === null ? "--------" : requestId.slice(0, 8)),
    kindPaint(event, kind, paint)(kind.padEnd(KIND_WIDTH)),
    describe(event, paint),
  ].join(" ")
}

/** Local wall-clock time with milliseconds: `14:03:07.042`. */
export function clockTime(time: number): string {
  const date = new Date(time)
  const pad = (value: number, width = 2) => String(value).padStart(width, "0")
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

function runnerLabel(event: TapEvent, runnerId: string | null, facts?: RunnerFacts): string {
  if (event.type === "runner") return event.runnerName ?? event.runnerKey
  if (runnerId === null) return "-"
  return facts?.runnerName ?? facts?.runnerKey ?? runnerId
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width)
}

function direction(event: TapEvent, paint: Paint): string {
  if (event.type !== "frame") return " "
  return event.direction === "toRunner" ? paint.blue("→") : paint.magenta("←")
}

function kindPaint(event: TapEvent, kind: string, paint: Paint): (text: string) => string {
  switch (kind) {
    case "socket.open":
    case "runner.connected":
    case "actor.running":
      return paint.green
    case "socket.hibernate":
      return paint.magenta
    case "socket.wake":
      return paint.yellow
    case "socket.close":
    case "runner.disconnected":
    case "runner.rejected":
    case "request.abort":
      return paint.red
    case "fault":
      return (text) => paint.bold(paint.red(text))
    case "ToServerPing":
    case "ToClientPong":
    case "TunnelAck":
      return paint.dim
    default:
      return event.type === "frame" ? (text) => text : paint.bold
  }
}

function describe(event: TapEvent, paint: Paint): string {
  switch (event.type) {
    case "frame":
      return event.text
    case "runner": {
      const who = `${event.runnerName ?? "(unnamed)"} key=${event.runnerKey}`
      const version = event.version === null ? "" : ` v${event.version}`
      return `${event.event} ${who}${version}${closeText(event.code, event.reason)}`
    }
    case "actor": {
      const key = event.key === null ? "" : ` key=${event.key}`
      return `${event.actorId} ${event.name}${key} generation ${event.generation}`
    }
    case "socket":
      return `${event.path} actor=${event.actorId} pending=${event.pending}${closeText(event.code, event.reason)}`
    case "request": {
      const status = event.status === null ? "" : ` → ${event.status}`
      return `${event.method} ${event.path} actor=${event.actorId}${status}`
    }
    case "fault":
      return paint.red(event.message)
  }
}

function closeText(code: number | null, reason: string | null): string {
  if (code === null && reason === null) return ""
  return ` ${code ?? ""} ${JSON.stringify(reason ?? "")}`
}
