import * as bare from "@bare-ts/lib"
import { EncodeError } from "./errors.js"

/** Called by generated writers for `data[N]` types: refuses a value of another length. */
export function checkFixedLength(value: ArrayBuffer, length: number, type: string): void {
  if (!(value instanceof ArrayBuffer) || value.byteLength !== length) {
    const got = value instanceof ArrayBuffer ? `${value.byteLength} bytes` : typeof value
    throw new EncodeError({ type, reason: `expected exactly ${length} bytes, got ${got}` })
  }
}

/**
 * Called by generated readers for lists and maps: a collection announcing more entries than the
 * bytes left could hold is refused before a single entry is allocated.
 */
export function readCollectionLength(bc: bare.ByteCursor, minEntrySize: number): number {
  const offset = bc.offset
  const length = bare.readUintSafe(bc)
  const remaining = bc.bytes.length - bc.offset
  const fits =
    minEntrySize === 0 ? length <= bc.config.maxBufferLength : length * minEntrySize <= remaining
  if (!fits) {
    bc.offset = offset
    throw new bare.BareError(offset, `collection of ${length} entries exceeds the remaining input`)
  }
  return length
}
