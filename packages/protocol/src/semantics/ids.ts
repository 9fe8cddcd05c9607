import { toHex } from "../runtime/hex.js"

/** Request and message ids are 16 random bytes (UUIDv4-sized). */
export const ID_LENGTH = 16

export function newId(): ArrayBuffer {
  return crypto.getRandomValues(new Uint8Array(ID_LENGTH)).buffer
}

/** A string key for maps keyed by an id (ArrayBuffers compare by identity). */
export function idKey(id: ArrayBuffer): string {
  return toHex(new Uint8Array(id))
}
