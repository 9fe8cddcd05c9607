import type { TapEvent } from "./tap-event.js"

/** One line per tap event, for the `--log` option: time, what, and the decoded frame. */
export function formatTapEvent(event: TapEvent): string {
  const time = new Date(event.time).toISOString().slice(11, 23)
  switch (event.type) {
    case "frame": {
      const arrow = event.direction === "toRunner" ? "→" : "←"
      return `${time} ${arrow} runner ${short(event.runnerId)} v${event.version} ${event.text}`
    }
    case "runner":
      return `${time} runner ${event.runnerKey} (v${event.version ?? "?"}) ${event.event}${closeText(event)}`
    case "actor":
      return `${time} actor ${event.name}${event.key === null ? "" : `[${event.key}]`} ${short(event.actorId)} gen ${event.generation} ${event.event}`
    case "socket":
      return `${time} socket ${short(event.requestId)} ${event.path} ${event.event}${closeText(event)} (pending ${event.pending})`
    case "request":
      return `${time} http ${short(event.requestId)} ${event.method} ${event.path} ${event.event}${event.status === null ? "" : ` ${event.status}`}`
    case "fault":
      return `${time} fault${event.requestId === null ? "" : ` req ${short(event.requestId)}`}: ${event.message}`
  }
}

function short(id: string | null): string {
  return id === null ? "-" : id.slice(0, 8)
}

function closeText(event: { code: number | null; reason: string | null }): string {
  return event.code === null ? "" : ` ${event.code} ${event.reason ?? ""}`
}
