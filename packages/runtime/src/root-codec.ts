import * as bare from "@bare-ts/lib"
import { asUint8Array, type BytesLike } from "./bytes.js"
import type { SchemaDescriptor } from "./descriptor.js"
import { type EncodeFault, findEncodeFault } from "./encode-diagnosis.js"
import { DecodeError, EncodeError } from "./errors.js"
import { INVALID } from "./wire-write.js"

const CONFIG = bare.Config({})

/** What a generated encoder module holds for each type: the two passes of its encoder. */
export type SizeOf<T> = (value: T) => number
export type PutValue<T> = (bytes: Uint8Array, offset: number, value: T) => number

/**
 * Encodes `value` as the `type` of `schema` into a new array of exactly its length: the value is
 * checked and measured first, then written once, so nothing is copied or grown on the way.
 */
export function encodeRoot<T>(
  size: SizeOf<T>,
  put: PutValue<T>,
  value: T,
  schema: SchemaDescriptor,
  type: string,
): Uint8Array {
  const length = measure(size, value, schema, type)
  const bytes = allocate(length, schema, type)
  finish(put(bytes, 0, value), length, value, schema, type)
  return bytes
}

/**
 * Writes `value` straight into `target` from offset 0 and returns the number of bytes written:
 * no allocation at all, for senders that reuse their buffers. A message that does not fit is an
 * `EncodeError` raised before anything is written.
 */
export function encodeRootInto<T>(
  size: SizeOf<T>,
  put: PutValue<T>,
  value: T,
  target: Uint8Array,
  schema: SchemaDescriptor,
  type: string,
): number {
  const length = measure(size, value, schema, type)
  if (length > target.length) {
    throw new EncodeError({
      type,
      version: schema.version,
      reason: `needs ${length} bytes, the target has ${target.length}`,
    })
  }
  finish(put(target, 0, value), length, value, schema, type)
  return length
}

/** The low-level `writeX(cursor, value)`: appends at the cursor, growing its buffer as bare-ts does. */
export function writeValue<T>(
  bc: bare.ByteCursor,
  value: T,
  size: SizeOf<T>,
  put: PutValue<T>,
  schema: SchemaDescriptor,
  type: string,
): void {
  const length = measure(size, value, schema, type)
  const needed = bc.offset + length
  if (needed > bc.bytes.length) {
    if (needed > bc.config.maxBufferLength) {
      throw new EncodeError({
        type,
        version: schema.version,
        reason: `needs ${needed} bytes, more than the cursor's maxBufferLength`,
      })
    }
    const grown = new Uint8Array(Math.min(needed * 2, bc.config.maxBufferLength))
    grown.set(bc.bytes)
    bc.bytes = grown
    bc.view = new DataView(grown.buffer)
  }
  finish(put(bc.bytes, bc.offset, value) - bc.offset, length, value, schema, type)
  bc.offset += length
}

function measure<T>(size: SizeOf<T>, value: T, schema: SchemaDescriptor, type: string): number {
  try {
    return size(value)
  } catch (error) {
    throw encodeFailure(error, value, schema, type)
  }
}

function allocate(length: number, schema: SchemaDescriptor, type: string): Uint8Array {
  try {
    return new Uint8Array(length)
  } catch (error) {
    throw new EncodeError(
      { type, version: schema.version, reason: `cannot allocate ${length} bytes` },
      { cause: error },
    )
  }
}

/** A getter that answers differently on the second pass would leave a corrupt frame: refused. */
function finish<T>(
  written: number,
  length: number,
  value: T,
  schema: SchemaDescriptor,
  type: string,
): void {
  if (written !== length) {
    throw new EncodeError({
      type,
      version: schema.version,
      value,
      reason: `the value changed while it was encoded (${length} bytes measured, ${written} written)`,
    })
  }
}

function encodeFailure(
  error: unknown,
  value: unknown,
  schema: SchemaDescriptor,
  type: string,
): EncodeError {
  let fault: EncodeFault | undefined
  try {
    fault = findEncodeFault(schema, type, value)
  } catch {
    fault = undefined
  }
  if (fault !== undefined) return new EncodeError({ type, version: schema.version, ...fault })
  if (error === INVALID) {
    return new EncodeError({ type, version: schema.version, value, reason: "invalid value" })
  }
  return new EncodeError(
    { type, version: schema.version, value, reason: `reading the value threw ${String(error)}` },
    { cause: error },
  )
}

/** V8's (Node's, Chromium's) stack depth; in other engines a property nothing reads. */
const errorStacks = Error as ErrorConstructor & { stackTraceLimit?: number }

/**
 * Reads one whole message; trailing bytes are an error. Accepts any `BytesLike` without copying.
 *
 * A bad frame costs about what a good one does: the readers' `BareError` and the `DecodeError`
 * made from it are built without capturing a stack (a capture costs several times a whole
 * decode), so a flood of garbage cannot cost a server much more than real traffic. The error's
 * type, version, offset and reason say where decoding stopped; its stack is empty.
 */
export function decodeRoot<T>(
  read: (bc: bare.ByteCursor) => T,
  bytes: BytesLike,
  type: string,
  version: number,
): T {
  const stackTraceLimit = errorStacks.stackTraceLimit
  errorStacks.stackTraceLimit = 0
  try {
    const bc = cursorOver(asUint8Array(bytes))
    const value = read(bc)
    if (bc.offset < bc.bytes.length) {
      throw new bare.BareError(bc.offset, `${bc.bytes.length - bc.offset} trailing bytes`)
    }
    return value
  } catch (error) {
    if (error instanceof bare.BareError) {
      throw new DecodeError({ type, version, offset: error.offset, reason: error.issue })
    }
    throw error
  } finally {
    errorStacks.stackTraceLimit = stackTraceLimit
  }
}

/**
 * A cursor for the generated readers, which read `bytes` only: a `bare.ByteCursor` would also
 * build a `DataView` per message that nothing uses.
 */
function cursorOver(bytes: Uint8Array): bare.ByteCursor {
  if (bytes.length > CONFIG.maxBufferLength) throw new bare.BareError(0, "too large buffer")
  return { bytes, offset: 0, config: CONFIG, view: NO_VIEW }
}

const NO_VIEW = new DataView(new ArrayBuffer(0))
