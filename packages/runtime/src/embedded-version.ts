import { asUint8Array, type BytesLike } from "./bytes.js"
import { VersionError } from "./errors.js"

/** Bytes before the payload of an embedded-version frame: a little-endian u16 version. */
export const EMBEDDED_VERSION_HEADER_SIZE = 2

export interface EmbeddedVersionFrame {
  readonly version: number
  /** A view into the frame, not a copy. */
  readonly payload: Uint8Array
}

/**
 * The form used for stored or relayed messages (pubsub, files, inspector captures): the protocol
 * version as a 2-byte little-endian u16, then the BARE payload.
 */
export function writeEmbeddedVersion(version: number, payload: BytesLike): Uint8Array {
  if (!Number.isInteger(version) || version < 0 || version > 0xffff) {
    throw new VersionError(`embedded version must be a u16, got ${version}`, version)
  }
  const body = asUint8Array(payload)
  const frame = new Uint8Array(EMBEDDED_VERSION_HEADER_SIZE + body.length)
  frame[0] = version & 0xff
  frame[1] = version >> 8
  frame.set(body, EMBEDDED_VERSION_HEADER_SIZE)
  return frame
}

/** Splits an embedded-version frame; a frame shorter than its header is a `VersionError`. */
export function readEmbeddedVersion(frame: BytesLike): EmbeddedVersionFrame {
  const bytes = asUint8Array(frame)
  if (bytes.length < EMBEDDED_VERSION_HEADER_SIZE) {
    throw new VersionError(
      `embedded-version frame needs ${EMBEDDED_VERSION_HEADER_SIZE} header bytes, got ${bytes.length}`,
    )
  }
  return {
    version: bytes[0]! | (bytes[1]! << 8),
    payload: bytes.subarray(EMBEDDED_VERSION_HEADER_SIZE),
  }
}
