import { Buffer } from "node:buffer"
import * as bare from "@bare-ts/lib"
import { fromJson, toJson, v3 } from "../src/index.js"

/** One way of turning a `ToClient` message into something sendable and back. */
export interface Contender {
  readonly name: string
  /** Encodes then decodes `message`; returns the decoded value so it cannot be optimized away. */
  roundTrip(message: v3.ToClient): unknown
  /** Size of the encoded form on the wire, in bytes. */
  encodedSize(message: v3.ToClient): number
}

export const tunnelwire: Contender = {
  name: "tunnelwire",
  roundTrip: (message) => v3.decodeToClient(v3.encodeToClient(message)),
  encodedSize: (message) => v3.encodeToClient(message).length,
}

const JSON_TYPE = { version: 3, type: "ToClient" } as const

function jsonText(message: v3.ToClient): string {
  return JSON.stringify(toJson(message, JSON_TYPE))
}

export const json: Contender = {
  name: "JSON mapping",
  roundTrip: (message) => fromJson(JSON.parse(jsonText(message)), JSON_TYPE),
  encodedSize: (message) => Buffer.byteLength(jsonText(message), "utf8"),
}

const PLAIN_CONFIG = bare.Config({})

/** What bare-ts's own generated `encodeX` does: a fresh cursor, the result a view into it. */
export function plainEncode(message: v3.ToClient): Uint8Array {
  const bc = new bare.ByteCursor(new Uint8Array(PLAIN_CONFIG.initialBufferLength), PLAIN_CONFIG)
  v3.writeToClient(bc, message)
  return new Uint8Array(bc.view.buffer, bc.view.byteOffset, bc.offset)
}

/** What bare-ts's own generated `decodeX` does. */
function plainDecode(bytes: Uint8Array): v3.ToClient {
  const bc = new bare.ByteCursor(bytes, PLAIN_CONFIG)
  const result = v3.readToClient(bc)
  if (bc.offset < bc.view.byteLength) {
    throw new bare.BareError(bc.offset, "remaining bytes")
  }
  return result
}

export const plainBare: Contender = {
  name: "plain bare-ts",
  roundTrip: (message) => plainDecode(plainEncode(message)),
  encodedSize: (message) => plainEncode(message).length,
}

export const contenders: readonly Contender[] = [tunnelwire, json, plainBare]
