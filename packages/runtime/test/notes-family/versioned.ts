// The version-aware face of "notes" (see v1.ts), in the shape of a generated `versioned.ts`:
// bytes of any version read into the v2 shape, and v2 values written as either version.
import {
  type BytesLike,
  type DowngradeOptions,
  MessageDropped,
  type MigrationContext,
  migrationContext,
  readEmbeddedVersion,
  versionNamer,
  writeEmbeddedVersion,
} from "../../src/codegen.js"
import * as v1 from "./v1.js"
import * as v2 from "./v2.js"

const VERSIONS = [1, 2] as const
const namedVersion = versionNamer(VERSIONS)

function upgradeEvent(event: v1.Event): v2.Event {
  return event.tag === "Note"
    ? { tag: "Note", val: { ...event.val, color: null, edits: 0n } }
    : event
}

function downgradeEvent(event: v2.Event, context: MigrationContext): v1.Event {
  if (event.tag === "Deleted") return event
  const { color, edits, ...note } = event.val
  if (color !== null) context.loss({ type: "Note", field: "color", reason: "v1 has no colors" })
  return { tag: "Note", val: note }
}

export function decodeEvent(bytes: BytesLike, options: { version: number }): v2.Event {
  const version = namedVersion(options, "decodeEvent")
  return version === 1 ? upgradeEvent(v1.decodeEvent(bytes)) : v2.decodeEvent(bytes)
}

export function encodeEvent(
  message: v2.Event,
  options: { version: number } & DowngradeOptions,
): Uint8Array | null {
  const version = namedVersion(options, "encodeEvent")
  if (version === 2) return v2.encodeEvent(message)
  try {
    return v1.encodeEvent(downgradeEvent(message, migrationContext(2, 1, options)))
  } catch (error) {
    if (error instanceof MessageDropped) return null
    throw error
  }
}

export function encodeEventFrame(
  message: v2.Event,
  options: { version: number } & DowngradeOptions,
): Uint8Array | null {
  const payload = encodeEvent(message, options)
  return payload === null ? null : writeEmbeddedVersion(options.version, payload)
}

export function decodeEventFrame(frame: BytesLike): { version: number; message: v2.Event } {
  const { version, payload } = readEmbeddedVersion(frame)
  return { version, message: decodeEvent(payload, { version }) }
}
