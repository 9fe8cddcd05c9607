import {
  idKey,
  isProtocolVersion,
  type latest,
  redactFrame,
  stringify,
} from "@tunnelwire/protocol/pinned/v3"
import type { FrameEvent } from "./tap-event.js"

interface FrameSource {
  readonly runnerId: string
  readonly runnerKey: string
  readonly version: number
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

/** The actor of a tunneled request this connection serves, by request id hex. */
type ActorOfRequest = (requestKey: string) => string | null

/** A frame the gateway sent, shown as the runner's version of it (what was on the wire). */
export function toRunnerFrame(
  source: FrameSource,
  message: latest.ToClient,
  wire: Uint8Array,
  actorOf: ActorOfRequest,
): FrameEvent {
  const requestId = message.tag === "ToClientTunnelMessage" ? idKey(message.val.requestId) : null
  return {
    type: "frame",
    direction: "toRunner",
    ...source,
    requestId,
    actorId: requestId !== null ? actorOf(requestId) : toClientActor(message),
    kind: toClientKind(message),
    ...shownFrame(source.version, "ToClient", wire),
  }
}

/** A frame a runner sent, decoded in its version. */
export function fromRunnerFrame(
  source: FrameSource,
  message: latest.ToServer,
  wire: Uint8Array,
  actorOf: ActorOfRequest,
): FrameEvent {
  const requestId = message.tag === "ToServerTunnelMessage" ? idKey(message.val.requestId) : null
  return {
    type: "frame",
    direction: "fromRunner",
    ...source,
    requestId,
    actorId: requestId !== null ? actorOf(requestId) : toServerActor(message),
    kind: toServerKind(message),
    ...shownFrame(source.version, "ToServer", wire),
  }
}

function toClientActor(message: latest.ToClient): string | null {
  return message.tag === "ToClientCommands" ? (message.val[0]?.inner.val.actorId ?? null) : null
}

function toServerActor(message: latest.ToServer): string | null {
  if (message.tag === "ToServerEvents") return message.val[0]?.inner.val.actorId ?? null
  return message.tag === "ToServerKvRequest" ? message.val.actorId : null
}

function toClientKind(message: latest.ToClient): string {
  switch (message.tag) {
    case "ToClientTunnelMessage":
      return message.val.messageKind.tag
    case "ToClientCommands":
      return distinct(message.val.map((command) => command.inner.tag)) || message.tag
    default:
      return message.tag
  }
}

function toServerKind(message: latest.ToServer): string {
  switch (message.tag) {
    case "ToServerTunnelMessage":
      return message.val.messageKind.tag
    case "ToServerEvents":
      return distinct(message.val.map((event) => event.inner.tag)) || message.tag
    case "ToServerKvRequest":
      return message.val.data.tag
    default:
      return message.tag
  }
}

function distinct(tags: string[]): string {
  return [...new Set(tags)].join("+")
}
