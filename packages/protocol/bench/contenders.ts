import { Buffer } from "node:buffer"
import { v3 } from "../src/index.js"
import * as reference from "./reference/v3.js"

/** One way of turning a `ToClient` message into something sendable and back. */
export interface Contender {
  readonly name: string
  encode(message: v3.ToClient): Uint8Array | string
  decode(encoded: Uint8Array | string): unknown
  /** Size of the encoded form on the wire, in bytes. */
  encodedSize(message: v3.ToClient): number
}

export const tunnelwire: Contender = {
  name: "tunnelwire",
  encode: (message) => v3.encodeToClient(message),
  decode: (bytes) => v3.decodeToClient(bytes as Uint8Array),
  encodedSize: (message) => v3.encodeToClient(message).length,
}

/** The unmodified output of `@bare-ts/tools` for the same schema (see generate-reference.ts). */
export const bareTs: Contender = {
  name: "@bare-ts",
  encode: (message) => reference.encodeToClient(message as reference.ToClient),
  decode: (bytes) => reference.decodeToClient(bytes as Uint8Array),
  encodedSize: (message) => reference.encodeToClient(message as reference.ToClient).length,
}

// Plain JSON as a user would write it for these messages: bytes as base64, 64-bit integers as
// decimal strings, maps as objects, and a reviver that knows which fields hold what.
const BYTE_FIELDS = new Set([
  "requestId",
  "messageId",
  "data",
  "body",
  "input",
  "version",
  "keys",
  "values",
  "hibernatingRequestIds",
])
const BIGINT_FIELDS = new Set(["index", "createTs"])

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString("base64")
  if (typeof value === "bigint") return value.toString()
  if (value instanceof Map) return Object.fromEntries(value)
  return value
}

function fromBase64(text: string): ArrayBuffer {
  const bytes = Buffer.from(text, "base64")
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

function reviver(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === "string") {
    if (BYTE_FIELDS.has(key)) return fromBase64(value)
    if (BIGINT_FIELDS.has(key)) return BigInt(value)
  } else if (Array.isArray(value) && BYTE_FIELDS.has(key)) {
    return value.map((item) => (typeof item === "string" ? fromBase64(item) : item))
  } else if (key === "headers" && typeof value === "object" && value !== null) {
    return new Map(Object.entries(value))
  }
  return value
}

export const plainJson: Contender = {
  name: "plain JSON",
  encode: (message) => JSON.stringify(message, replacer),
  decode: (text) => JSON.parse(text as string, reviver),
  encodedSize: (message) => Buffer.byteLength(JSON.stringify(message, replacer), "utf8"),
}

export const contenders: readonly Contender[] = [tunnelwire, bareTs, plainJson]
