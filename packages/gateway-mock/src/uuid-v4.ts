import { randomFillSync } from "node:crypto"
import { ID_LENGTH } from "@tunnelwire/protocol"

/**
 * Sets the RFC 4122 version (4, the high nibble of byte 6) and variant (binary 10, the high bits
 * of byte 8) of 16 id bytes in place. Rivet's runner refuses any id that is not such a UUID.
 */
function markUuidV4(bytes: Uint8Array): Uint8Array {
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  return bytes
}

/** A random UUIDv4 as the 16 bytes the protocol carries (a request id). */
export function randomUuidV4(): ArrayBuffer {
  return markUuidV4(randomFillSync(new Uint8Array(ID_LENGTH))).buffer as ArrayBuffer
}
