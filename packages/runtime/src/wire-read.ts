// What generated decoders call: readers over a cursor's `bytes` that never touch its `DataView`
// (decodeRoot does not make one), each refusing bad input with a \`BareError\` at the byte where
// it starts, with bare-ts's own reasons.
import * as bare from "@bare-ts/lib"

/** The offset of `size` bytes at the cursor, advanced past them; missing bytes are refused. */
function take(bc: bare.ByteCursor, size: number): number {
  const offset = bc.offset
  if (offset + size > bc.bytes.length) throw new bare.BareError(offset, "missing bytes")
  bc.offset = offset + size
  return offset
}

export function readU8(bc: bare.ByteCursor): number {
  return bc.bytes[take(bc, 1)]!
}

export function readI8(bc: bare.ByteCursor): number {
  return (bc.bytes[take(bc, 1)]! << 24) >> 24
}

export function readBool(bc: bare.ByteCursor): boolean {
  const offset = take(bc, 1)
  const byte = bc.bytes[offset]!
  if (byte > 1) {
    bc.offset = offset
    throw new bare.BareError(offset, "a bool must be equal to 0 or 1")
  }
  return byte === 1
}

export function readU16(bc: bare.ByteCursor): number {
  const offset = take(bc, 2)
  const bytes = bc.bytes
  return bytes[offset]! | (bytes[offset + 1]! << 8)
}

export function readI16(bc: bare.ByteCursor): number {
  return (readU16(bc) << 16) >> 16
}

export function readI32(bc: bare.ByteCursor): number {
  const offset = take(bc, 4)
  const bytes = bc.bytes
  return (
    bytes[offset]! |
    (bytes[offset + 1]! << 8) |
    (bytes[offset + 2]! << 16) |
    (bytes[offset + 3]! << 24)
  )
}

export function readU32(bc: bare.ByteCursor): number {
  return readI32(bc) >>> 0
}

const scratch = new DataView(new ArrayBuffer(8))
const scratchBytes = new Uint8Array(scratch.buffer)

function toScratch(bc: bare.ByteCursor, size: number): void {
  const offset = take(bc, size)
  const bytes = bc.bytes
  for (let i = 0; i < size; i++) scratchBytes[i] = bytes[offset + i]!
}

export function readU64(bc: bare.ByteCursor): bigint {
  toScratch(bc, 8)
  return scratch.getBigUint64(0, true)
}

export function readI64(bc: bare.ByteCursor): bigint {
  toScratch(bc, 8)
  return scratch.getBigInt64(0, true)
}

export function readF32(bc: bare.ByteCursor): number {
  toScratch(bc, 4)
  return scratch.getFloat32(0, true)
}

export function readF64(bc: bare.ByteCursor): number {
  toScratch(bc, 8)
  return scratch.getFloat64(0, true)
}

/**
 * Called by generated readers for lists and maps: a collection announcing more entries than the
 * bytes left could hold is refused before a single entry is allocated.
 */
export function readCollectionLength(bc: bare.ByteCursor, minEntrySize: number): number {
  const offset = bc.offset
  const first = bc.bytes[offset]
  let length: number
  if (first !== undefined && first < 0x80) {
    bc.offset++
    length = first
  } else {
    length = readLengthPrefix(bc, bare.readUintSafe)
  }
  const remaining = bc.bytes.length - bc.offset
  const fits =
    minEntrySize === 0 ? length <= bc.config.maxBufferLength : length * minEntrySize <= remaining
  if (!fits) {
    bc.offset = offset
    throw new bare.BareError(offset, `collection of ${length} entries exceeds the remaining input`)
  }
  return length
}

/** Up to this many bytes, a JavaScript loop decodes ASCII faster than a `TextDecoder` call. */
const SHORT_STRING = 16
// `ignoreBOM`: a string that starts with U+FEFF keeps it (by default it would be dropped).
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

/** Called by generated readers for `str`; bad UTF-8 is reported where the string starts. */
export function readLengthPrefixedString(bc: bare.ByteCursor): string {
  const length = readLength32(bc)
  const start = bc.offset
  const end = start + length
  const bytes = bc.bytes
  if (end > bytes.length) throw new bare.BareError(start, "missing bytes")
  if (length <= SHORT_STRING) {
    let text = ""
    let i = start
    for (; i < end; i++) {
      const byte = bytes[i]!
      if (byte >= 0x80) break
      text += String.fromCharCode(byte)
    }
    if (i === end) {
      bc.offset = end
      return text
    }
  }
  try {
    const text = utf8.decode(bytes.subarray(start, end))
    bc.offset = end
    return text
  } catch {
    throw new bare.BareError(start, "invalid UTF-8 string")
  }
}

/** Called by generated readers for `data`: a fresh `ArrayBuffer` of exactly the field's bytes. */
export function readLengthPrefixedData(bc: bare.ByteCursor): ArrayBuffer {
  return readFixedData(bc, readLength32(bc))
}

export function readFixedData(bc: bare.ByteCursor, length: number): ArrayBuffer {
  const start = bc.offset
  const bytes = bc.bytes
  if (start + length > bytes.length) throw new bare.BareError(start, "missing bytes")
  bc.offset = start + length
  // A typed-array copy: a plain ArrayBuffer of its own even from a shared input, and cheaper
  // than ArrayBuffer.prototype.slice.
  return bytes.slice(start, start + length).buffer
}

/**
 * `length` bytes at the cursor as a view of the input, not a copy. Only for generated code that
 * hands the view to a converter declared to copy out of it (`upgradesCopyOutOf`): the view must
 * never reach a decoded value, which would then alias the caller's buffer.
 */
export function lendFixedData(bc: bare.ByteCursor, length: number): Uint8Array {
  const start = bc.offset
  const bytes = bc.bytes
  if (start + length > bytes.length) throw new bare.BareError(start, "missing bytes")
  bc.offset = start + length
  return bytes.subarray(start, start + length)
}

function readLength32(bc: bare.ByteCursor): number {
  const first = bc.bytes[bc.offset]
  // A one-byte prefix, the common case, cannot be malformed: no guarded read needed.
  if (first !== undefined && first < 0x80) {
    bc.offset++
    return first
  }
  return readLengthPrefix(bc, bare.readUintSafe32)
}

function readLengthPrefix(bc: bare.ByteCursor, read: (bc: bare.ByteCursor) => number): number {
  const start = bc.offset
  try {
    return read(bc)
  } catch (error) {
    throw locatedAt(error, bc, start)
  }
}

/**
 * The error moved to `offset`, the first byte of what is wrong. bare-ts 0.4.1 reports a
 * non-canonical length prefix up to three bytes before it (below zero near the start of a
 * message), and invalid UTF-8 in a string of 256 bytes or more after the string.
 */
function locatedAt(error: unknown, bc: bare.ByteCursor, offset: number): unknown {
  if (!(error instanceof bare.BareError)) return error
  bc.offset = offset
  return new bare.BareError(offset, error.issue, { cause: error })
}
