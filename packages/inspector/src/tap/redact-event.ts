import {
  isProtocolVersion,
  redactFrame,
  redactPath,
  stringify,
} from "@tunnelwire/protocol/pinned/v3"
import type { TapEvent } from "./tap-event.js"

/**
 * The event with every credential replaced, whatever the gateway that sent it did: a frame's
 * wire bytes are decoded, redacted and encoded again (so `decode` still reads them) and its text
 * rebuilt from them; request paths lose credential query parameters. What the inspector relays
 * to a page, prints or writes to a session file goes through here.
 */
export function redactTapEvent(event: TapEvent): TapEvent {
  switch (event.type) {
    case "frame": {
      const { version } = event
      if (!isProtocolVersion(version)) return { ...event, wire: "" }
      const type = event.direction === "toRunner" ? "ToClient" : "ToServer"
      try {
        const bytes = new Uint8Array(Buffer.from(event.wire, "base64"))
        const redacted = redactFrame(bytes, { version, type })
        return {
          ...event,
          text: stringify(redacted.message, { version, type }),
          wire: Buffer.from(redacted.wire).toString("base64"),
        }
      } catch {
        // Bytes that do not decode cannot be checked for secrets: they are not passed on.
        return { ...event, wire: "" }
      }
    }
    case "socket":
    case "request":
      return { ...event, path: redactPath(event.path) }
    default:
      return event
  }
}
