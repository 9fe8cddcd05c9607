import * as bare from "@bare-ts/lib"

/**
 * Called by generated readers for lists and maps: a collection announcing more entries than the
 * bytes left could hold is refused before a single entry is allocated.
 */
export function readCollectionLength(bc: bare.ByteCursor, minEntrySize: number): number {
  const offset = bc.offset
  const length = readLengthPrefix(bc, bare.readUintSafe)
  const remaining = bc.bytes.length - bc.offset
  const fits =
    minEntrySize === 0 ? length <= bc.config.maxBufferLength : length * minEntrySize <= remaining
  if (!fits) {
    bc.offset = offset
    throw new bare.BareError(offset, `collection of ${length} entries exceeds the remaining input`)
  }
  return length
}

/** Called by generated readers for `str` instead of `bare.readString`; see {@link locatedAt}. */
export function readLengthPrefixedString(bc: bare.ByteCursor): string {
  const length = readLength32(bc)
  const start = bc.offset
  // Checked here: bare-ts reports a long string cut short as invalid UTF-8.
  bare.check(bc, length)
  try {
    return bare.readFixedString(bc, length)
  } catch (error) {
    throw locatedAt(error, bc, start)
  }
}

/** Called by generated readers for `data` instead of `bare.readData`; see {@link locatedAt}. */
export function readLengthPrefixedData(bc: bare.ByteCursor): ArrayBuffer {
  return bare.readFixedData(bc, readLength32(bc))
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
