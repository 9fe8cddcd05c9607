import { isProtocolVersion, redactFrame, stringify } from "@tunnelwire/protocol"
import type { FrameEvent } from "./tap-event.js"

interface FrameSource {
  readonly runnerId: string
  readonly runnerKey: string
  readonly version: number
}

/** What a connection's dialect says about one frame, whatever its version. */
export interface FrameSummary {
  /** Hex of the tunnel request the frame belongs to, or null. */
  readonly requestId: string | null
  /** The actor the frame concerns (a command, event, KV request or tunneled request), if any. */
  readonly actorId: string | null
  /** The innermost message kind, such as `ToClientWebSocketMessage`. */
  readonly kind: string
}

/**
 * The frame as its receiver reads it, decoded in the connection's own version, with credentials
 * (authorization, cookies, tokens) replaced in the text and in the bytes alike: a tap subscriber
 * sees the same frame it could decode itself, minus the secrets.
 */
function shownFrame(
  version: number,
  type: "ToClient" | "ToServer",
  wire: Uint8Array,
): { readonly text: string; readonly wire: string } {
  if (!isProtocolVersion(version)) throw new Error(`v${version} is not a protocol version`)
  const redacted = redactFrame(wire, { version, type })
  return {
    text: stringify(redacted.message, { version, type }),
    wire: Buffer.from(redacted.wire).toString("base64"),
  }
}

/** A frame the gateway sent, shown as the runner's version of it (what was on the wire). */
export function toRunnerFrame(
  source: FrameSource,
  summary: FrameSummary,
  wire: Uint8Array,
): FrameEvent {
  return {
    type: "frame",
    direction: "toRunner",
    ...source,
    ...summary,
    ...shownFrame(source.version, "ToClient", wire),
  }
}

/** A frame a runner sent, decoded in its version. */
export function fromRunnerFrame(
  source: FrameSource,
  summary: FrameSummary,
  wire: Uint8Array,
): FrameEvent {
  return {
    type: "frame",
    direction: "fromRunner",
    ...source,
    ...summary,
    ...shownFrame(source.version, "ToServer", wire),
  }
}

/** Message tags joined, each once: the kind of a frame that carries several commands or events. */
export function distinctTags(tags: readonly string[], fallback: string): string {
  return [...new Set(tags)].join("+") || fallback
}
