// What generated encoders call. An encoder makes two passes over a message: `sizeX` checks every
// value against its wire type and adds up the exact encoded length, then `putX` writes into a
// buffer of exactly that length without a single check or bounds test. A value `sizeX` refuses
// throws `INVALID`, which carries nothing: the root then walks the schema descriptor to say
// where and why (see encode-diagnosis.ts), so the fast path builds no paths and no messages.

/** Thrown by generated size functions; never escapes the package. */
export const INVALID: unique symbol = Symbol("invalid value")

export function invalid(): never {
  throw INVALID
}

const MAX_U64 = 0xffff_ffff_ffff_ffffn
const MIN_I64 = -0x8000_0000_0000_0000n
const MAX_I64 = 0x7fff_ffff_ffff_ffffn

export function sizeU64(value: unknown): 8 {
  if (typeof value !== "bigint" || value < 0n || value > MAX_U64) invalid()
  return 8
}

export function sizeI64(value: unknown): 8 {
  if (typeof value !== "bigint" || value < MIN_I64 || value > MAX_I64) invalid()
  return 8
}

/** Bytes of the LEB128 length prefix of `length` (at most 2^53 - 1). */
export function varintSize(length: number): number {
  if (length < 0x80) return 1
  if (length < 0x4000) return 2
  if (length < 0x20_0000) return 3
  if (length < 0x1000_0000) return 4
  let size = 5
  for (let rest = Math.floor(length / 0x8_0000_0000); rest > 0; rest = Math.floor(rest / 0x80)) {
    size++
  }
  return size
}

/** UTF-8 length of `text`, or -1 when it holds a lone surrogate (which UTF-8 cannot carry). */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if ((unit & 0xfc00) === 0xd800) {
      if ((text.charCodeAt(i + 1) & 0xfc00) !== 0xdc00) return -1
      i++
      bytes += 4
    } else if ((unit & 0xfc00) === 0xdc00) return -1
    else bytes += 3
  }
  return bytes
}

export function sizeString(value: unknown): number {
  if (typeof value !== "string") invalid()
  const length = utf8Length(value)
  if (length < 0) invalid()
  return varintSize(length) + length
}

/**
 * Length of `data`: an `ArrayBuffer`, or any view (`Uint8Array`, a Node `Buffer`, `DataView`),
 * of which exactly the viewed bytes are encoded, never the buffer around them.
 */
export function dataLength(value: unknown): number {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength
  invalid()
}

export function sizeData(value: unknown): number {
  const length = dataLength(value)
  return varintSize(length) + length
}

export function sizeFixedData(value: unknown, length: number): number {
  if (dataLength(value) !== length) invalid()
  return length
}

export function putVarint(bytes: Uint8Array, offset: number, value: number): number {
  let rest = value
  while (rest > 0x7f) {
    bytes[offset++] = (rest & 0x7f) | 0x80
    rest = rest > 0x7fff_ffff ? Math.floor(rest / 0x80) : rest >>> 7
  }
  bytes[offset++] = rest
  return offset
}

const scratch = new DataView(new ArrayBuffer(8))
const scratchBytes = new Uint8Array(scratch.buffer)

export function putU64(bytes: Uint8Array, offset: number, value: bigint): number {
  scratch.setBigUint64(0, value, true)
  return putScratch(bytes, offset, 8)
}

export function putI64(bytes: Uint8Array, offset: number, value: bigint): number {
  scratch.setBigInt64(0, value, true)
  return putScratch(bytes, offset, 8)
}

export function putF32(bytes: Uint8Array, offset: number, value: number): number {
  scratch.setFloat32(0, value, true)
  return putScratch(bytes, offset, 4)
}

export function putF64(bytes: Uint8Array, offset: number, value: number): number {
  scratch.setFloat64(0, value, true)
  return putScratch(bytes, offset, 8)
}

function putScratch(bytes: Uint8Array, offset: number, length: number): number {
  for (let i = 0; i < length; i++) bytes[offset + i] = scratchBytes[i]!
  return offset + length
}

/** Strings shorter than this many UTF-16 units take at most 126 bytes: a one-byte prefix. */
const ONE_BYTE_PREFIX_UNITS = 43
/** From this many bytes on, `TextEncoder.encodeInto` beats a JavaScript loop. */
const ENCODER_THRESHOLD = 64
const encoder = new TextEncoder()

export function putString(bytes: Uint8Array, offset: number, value: string): number {
  if (value.length < ONE_BYTE_PREFIX_UNITS) {
    // Written after a one-byte gap that then receives the length: no second pass to measure.
    const end = putUtf8(bytes, offset + 1, value)
    bytes[offset] = end - offset - 1
    return end
  }
  const length = utf8Length(value)
  const start = putVarint(bytes, offset, length)
  if (length < ENCODER_THRESHOLD) return putUtf8(bytes, start, value)
  encoder.encodeInto(value, bytes.subarray(start, start + length))
  return start + length
}

function putUtf8(bytes: Uint8Array, offset: number, text: string): number {
  let at = offset
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) {
      bytes[at++] = unit
    } else if (unit < 0x800) {
      bytes[at++] = 0xc0 | (unit >> 6)
      bytes[at++] = 0x80 | (unit & 0x3f)
    } else if ((unit & 0xfc00) === 0xd800) {
      const point = 0x1_0000 + ((unit - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00)
      bytes[at++] = 0xf0 | (point >> 18)
      bytes[at++] = 0x80 | ((point >> 12) & 0x3f)
      bytes[at++] = 0x80 | ((point >> 6) & 0x3f)
      bytes[at++] = 0x80 | (point & 0x3f)
    } else {
      bytes[at++] = 0xe0 | (unit >> 12)
      bytes[at++] = 0x80 | ((unit >> 6) & 0x3f)
      bytes[at++] = 0x80 | (unit & 0x3f)
    }
  }
  return at
}

export function putData(bytes: Uint8Array, offset: number, value: ArrayBuffer): number {
  return putFixedData(bytes, putVarint(bytes, offset, value.byteLength), value)
}

/** Ids and other short data are copied by a loop: cheaper than `set` below a few dozen bytes. */
const SET_THRESHOLD = 48

export function putFixedData(bytes: Uint8Array, offset: number, value: ArrayBuffer): number {
  const view: Uint8Array =
    value instanceof ArrayBuffer
      ? new Uint8Array(value)
      : new Uint8Array(
          (value as ArrayBufferView).buffer,
          (value as ArrayBufferView).byteOffset,
          (value as ArrayBufferView).byteLength,
        )
  const length = view.length
  if (length < SET_THRESHOLD) {
    for (let i = 0; i < length; i++) bytes[offset + i] = view[i]!
  } else {
    bytes.set(view, offset)
  }
  return offset + length
}
