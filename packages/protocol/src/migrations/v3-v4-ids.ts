// How v3's 16-byte tunnel ids and v4's small ids map onto each other. v4 names a request by a
// 4-byte gateway id and a 4-byte request id and a message by those plus a u16 index; v3 names
// both by opaque 16-byte ids. The converters lay v4's parts out at the front of a v3 id:
//
//   bytes 0..4   gatewayId
//   bytes 4..8   requestId
//   bytes 8..10  messageIndex (u16, little-endian; message ids only)
//   the rest     zero
//
// so every v4 id goes down to v3 and back up unchanged, and a v3 id goes up to v4 keeping its
// first 8 (request) or 10 (message) bytes: a v3 peer's ids are random, so the rest cannot travel.
//
// Going up, a v3 id may be a view of the bytes being decoded (the versioned decode lends it, see
// `upgradesCopyOutOf` in v3-to-v4.ts): these functions only copy bytes out of it, never keep it.

const V3_ID_LENGTH = 16
const PART_LENGTH = 4
const INDEX_OFFSET = 8

/** The v4 parts of a v3 id (or of any v3 `data`, padded with zeros when shorter). */
export interface IdParts {
  readonly gatewayId: ArrayBuffer
  readonly requestId: ArrayBuffer
}

/** A v4 message id: the request's parts and the message's index in it. */
export interface MessageIdParts extends IdParts {
  readonly messageIndex: number
}

/** A v3 id as the codec returns it, or as the versioned decode lends it: a view of its input. */
export type V3IdBytes = ArrayBuffer | Uint8Array

export function partsOfV3Id(id: V3IdBytes): IdParts {
  const bytes = bytesOf(id)
  return { gatewayId: part(bytes, 0), requestId: part(bytes, PART_LENGTH) }
}

/**
 * The v4 message id of the request named by the v3 id `requestId`, with `messageIndex`. Its
 * fields are written out, not spread from `partsOfV3Id`: spreading into a literal that adds a
 * property takes V8's slow path (over a microsecond per message here).
 */
export function messageIdOfV3Id(requestId: V3IdBytes, messageIndex: number): MessageIdParts {
  const bytes = bytesOf(requestId)
  return {
    gatewayId: part(bytes, 0),
    requestId: part(bytes, PART_LENGTH),
    messageIndex,
  }
}

/** The u16 stored at bytes 8..10 of a v3 message id. */
export function messageIndexOfV3Id(id: V3IdBytes): number {
  const bytes = bytesOf(id)
  return (bytes[INDEX_OFFSET] ?? 0) | ((bytes[INDEX_OFFSET + 1] ?? 0) << 8)
}

/** The v3 id holding `parts`, and `messageIndex` when it names a message. */
export function v3IdOf(parts: IdParts, messageIndex?: number): ArrayBuffer {
  const id = new Uint8Array(V3_ID_LENGTH)
  id.set(new Uint8Array(parts.gatewayId), 0)
  id.set(new Uint8Array(parts.requestId), PART_LENGTH)
  if (messageIndex !== undefined) {
    id[INDEX_OFFSET] = messageIndex & 0xff
    id[INDEX_OFFSET + 1] = messageIndex >>> 8
  }
  return id.buffer
}

function bytesOf(id: V3IdBytes): Uint8Array {
  return id instanceof Uint8Array ? id : new Uint8Array(id)
}

/** The 4 bytes of `id` from `start`, zero-padded past its end, as an `ArrayBuffer` of their own. */
function part(id: Uint8Array, start: number): ArrayBuffer {
  // A typed-array copy is the cheapest way to a small ArrayBuffer (as the decoders read data).
  if (start + PART_LENGTH <= id.length) return id.slice(start, start + PART_LENGTH).buffer
  const padded = new Uint8Array(PART_LENGTH)
  padded.set(id.subarray(start, start + PART_LENGTH))
  return padded.buffer
}
