// @ts-check
// A session file keeps what the inspector saw, to open later with no gateway running
// (`inspect ui --file`, or dropped on the page) or to attach to a bug report. It is JSON Lines:
// a header naming the format and where the events came from, then one tap event per line, as
// the gateway's tap sent it (frames with their protocol version, wire bytes and text, secrets
// redacted). `inspect tail --out` writes it line by line; the page's export writes it at once.
// Plain ESM shared by the page and the CLI (types in session-file.d.ts).

import { EVENT_TYPES } from "./tap-filter.js"

/** @typedef {import("@tunnelwire/gateway-mock").TapEvent} TapEvent */
/**
 * @typedef {object} SessionHeader
 * @property {typeof SESSION_FORMAT} format
 * @property {number} formatVersion
 * @property {string} source     the tap the events came from, or the file they were read from
 * @property {string} createdAt  ISO time the file was started
 */

export const SESSION_FORMAT = "tunnelwire-inspector-session"
export const SESSION_FORMAT_VERSION = 1

/** Text that is not a session file this inspector can read; says which line and why. */
export class SessionFileError extends Error {
  /** @override */
  name = "SessionFileError"
}

/**
 * The first line of a session file, with its newline.
 * @param {string} source
 * @param {Date} [createdAt]
 */
export function sessionHeaderLine(source, createdAt = new Date()) {
  /** @type {SessionHeader} */
  const header = {
    format: SESSION_FORMAT,
    formatVersion: SESSION_FORMAT_VERSION,
    source,
    createdAt: createdAt.toISOString(),
  }
  return `${JSON.stringify(header)}\n`
}

/**
 * One event's line, with its newline.
 * @param {TapEvent} event
 */
export function sessionEventLine(event) {
  return `${JSON.stringify(event)}\n`
}

/**
 * A whole session file.
 * @param {readonly TapEvent[]} events
 * @param {string} source
 * @param {Date} [createdAt]
 */
export function formatSession(events, source, createdAt) {
  return sessionHeaderLine(source, createdAt) + events.map(sessionEventLine).join("")
}

/**
 * Reads a session file. Lines with event types this inspector does not know are skipped, as the
 * live tap skips them; anything else that is not an event is an error naming its line.
 * @param {string} text
 * @returns {{ header: SessionHeader, events: TapEvent[] }}
 */
export function parseSession(text) {
  const lines = text.split("\n")
  const header = parseLine(lines[0] ?? "", 1)
  if (
    typeof header !== "object" ||
    header === null ||
    /** @type {Record<string, unknown>} */ (header).format !== SESSION_FORMAT
  ) {
    throw new SessionFileError(
      `line 1: not a tunnelwire inspector session (no "${SESSION_FORMAT}" header)`,
    )
  }
  const { formatVersion } = /** @type {Record<string, unknown>} */ (header)
  if (formatVersion !== SESSION_FORMAT_VERSION) {
    throw new SessionFileError(
      `line 1: session format version ${String(formatVersion)}; this inspector reads version ${SESSION_FORMAT_VERSION}`,
    )
  }
  /** @type {TapEvent[]} */
  const events = []
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === "") return
    const value = parseLine(line, index + 2)
    if (isTapEvent(value)) events.push(value)
    else if (!hasType(value)) throw new SessionFileError(`line ${index + 2}: not a tap event`)
  })
  return { header: /** @type {SessionHeader} */ (header), events }
}

/**
 * Whether a parsed JSON value is a tap event of a type this inspector knows.
 * @param {unknown} value
 * @returns {value is TapEvent}
 */
export function isTapEvent(value) {
  if (typeof value !== "object" || value === null) return false
  const { type, seq, time } = /** @type {Record<string, unknown>} */ (value)
  return (
    typeof type === "string" &&
    /** @type {readonly string[]} */ (EVENT_TYPES).includes(type) &&
    typeof seq === "number" &&
    typeof time === "number"
  )
}

/** @param {unknown} value */
function hasType(value) {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (/** @type {Record<string, unknown>} */ (value).type) === "string" &&
    typeof (/** @type {Record<string, unknown>} */ (value).seq) === "number"
  )
}

/** @param {string} line @param {number} number */
function parseLine(line, number) {
  try {
    return JSON.parse(line)
  } catch {
    throw new SessionFileError(`line ${number}: not JSON`)
  }
}
