import * as bare from "@bare-ts/lib"
import { asUint8Array, type BytesLike } from "./bytes.js"
import { DecodeError, EncodeError } from "./errors.js"

const CONFIG = bare.Config({})
const SCRATCH_SIZE = 64 * 1024
/** A scratch buffer that grew past this is dropped after use instead of being kept forever. */
const MAX_RETAINED_SCRATCH = 4 * 1024 * 1024

let scratch = new bare.ByteCursor(new Uint8Array(SCRATCH_SIZE), CONFIG)
let scratchInUse = false

/**
 * Writes `value` with a generated writer into a reused scratch buffer and returns an exact-size
 * copy: one allocation per message, no growth steps for messages up to 64 KiB.
 */
export function encodeRoot<T>(
  write: (bc: bare.ByteCursor, value: T) => void,
  value: T,
  type: string,
  version: number,
): Uint8Array {
  // A getter on the message that encodes another message must not share the scratch buffer.
  const bc = scratchInUse ? new bare.ByteCursor(new Uint8Array(1024), CONFIG) : scratch
  const owner = bc === scratch
  scratchInUse = true
  bc.offset = 0
  try {
    write(bc, value)
    return bc.bytes.slice(0, bc.offset)
  } catch (error) {
    throw toEncodeError(error, type, version)
  } finally {
    if (owner) {
      scratchInUse = false
      if (bc.bytes.length > MAX_RETAINED_SCRATCH) {
        scratch = new bare.ByteCursor(new Uint8Array(SCRATCH_SIZE), CONFIG)
      }
    }
  }
}

let lastIntoCursor: bare.ByteCursor | undefined

/**
 * Writes `value` straight into `target` from offset 0 and returns the number of bytes written:
 * no allocation at all, for senders that reuse their buffers. A message that does not fit is an
 * `EncodeError` (and `target` may hold a partial write).
 */
export function encodeRootInto<T>(
  write: (bc: bare.ByteCursor, value: T) => void,
  value: T,
  target: Uint8Array,
  type: string,
  version: number,
): number {
  // Senders that reuse one buffer get its cursor back instead of a new cursor and DataView.
  const bc = lastIntoCursor?.bytes === target ? lastIntoCursor : new bare.ByteCursor(target, CONFIG)
  bc.offset = 0
  lastIntoCursor = bc
  try {
    write(bc, value)
  } catch (error) {
    throw toEncodeError(error, type, version)
  }
  // bare-ts grows into a new buffer when the message does not fit.
  if (bc.bytes !== target) {
    throw new EncodeError({
      type,
      version,
      reason: `needs ${bc.offset} bytes, the target has ${target.length}`,
    })
  }
  return bc.offset
}

/** Reads one whole message; trailing bytes are an error. Accepts any `BytesLike` without copying. */
export function decodeRoot<T>(
  read: (bc: bare.ByteCursor) => T,
  bytes: BytesLike,
  type: string,
  version: number,
): T {
  let bc: bare.ByteCursor | undefined
  try {
    bc = new bare.ByteCursor(asUint8Array(bytes), CONFIG)
    const value = read(bc)
    if (bc.offset < bc.bytes.length) {
      throw new bare.BareError(bc.offset, `${bc.bytes.length - bc.offset} trailing bytes`)
    }
    return value
  } catch (error) {
    if (error instanceof bare.BareError) {
      throw new DecodeError(
        { type, version, offset: error.offset, reason: error.issue },
        { cause: error },
      )
    }
    throw error
  }
}

function toEncodeError(error: unknown, type: string, version: number): unknown {
  if (error instanceof EncodeError) {
    return new EncodeError(
      { type: `${type} (${error.type})`, version, reason: error.reason },
      { cause: error },
    )
  }
  if (error instanceof bare.BareError) {
    return new EncodeError({ type, version, reason: error.issue }, { cause: error })
  }
  return error
}
