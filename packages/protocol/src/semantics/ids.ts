import { toHex } from "@tunnelwire/runtime"

/**
 * Request and message ids are 16 bytes. The reference schema marks them UUIDv4 and Rivet's runner
 * rejects any id that is not an RFC 4122 UUID, so every id minted here is a version 4 UUID.
 */
export const ID_LENGTH = 16

const VERSION_BYTE = 6
const VARIANT_BYTE = 8
/** Low bytes of a minter's counter, mixed into the first bytes (which short displays show). */
const COUNTER_BYTES = 6

/** Whether `id` is an RFC 4122 version 4 UUID: 16 bytes, version nibble 4, variant bits 10. */
export function isRfc4122v4(id: ArrayBuffer | Uint8Array): boolean {
  const bytes = id instanceof Uint8Array ? id : new Uint8Array(id)
  return (
    bytes.byteLength === ID_LENGTH &&
    bytes[VERSION_BYTE]! >> 4 === 4 &&
    bytes[VARIANT_BYTE]! >> 6 === 0b10
  )
}

/** A fresh random UUIDv4 (one random draw: for ids minted now and then, like request ids). */
export function newId(): ArrayBuffer {
  return asUuidV4(crypto.getRandomValues(new Uint8Array(ID_LENGTH))).buffer
}

/**
 * A cheap source of UUIDv4 ids for one minter's life (a runner, a connection): one random draw
 * up front, then a counter XORed into the first six bytes, so consecutive ids are distinct,
 * differ in their leading bytes, and stay as unlikely to collide with another minter's as random
 * ids are (74 random bits per minter). Unique for 2^48 ids.
 */
export function createIdMinter(): () => ArrayBuffer {
  const template = newId()
  const base = new Uint8Array(template)
  let counter = 0
  return () => {
    const bytes = new Uint8Array(template.slice(0))
    let rest = counter++
    for (let i = 0; i < COUNTER_BYTES; i++) {
      bytes[i] = base[i]! ^ (rest & 0xff)
      rest = Math.floor(rest / 256)
    }
    return bytes.buffer
  }
}

/** A string key for maps keyed by an id (ArrayBuffers compare by identity). */
export function idKey(id: ArrayBuffer): string {
  return toHex(new Uint8Array(id))
}

function asUuidV4(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  bytes[VERSION_BYTE] = (bytes[VERSION_BYTE]! & 0x0f) | 0x40
  bytes[VARIANT_BYTE] = (bytes[VARIANT_BYTE]! & 0x3f) | 0x80
  return bytes
}
