/** Anything that holds bytes: a `Uint8Array` (Node `Buffer` included), another view, or a buffer. */
export type BytesLike = Uint8Array | ArrayBuffer | ArrayBufferView

/**
 * A plain `Uint8Array` over exactly the given bytes, without copying.
 *
 * Subclasses are re-wrapped on purpose: a Node `Buffer`'s `slice()` returns a view instead of a
 * copy, so `data` decoded from a `ws` frame (a view into a shared 8 KiB pool) would otherwise
 * come back holding the whole pool.
 */
export function asUint8Array(bytes: BytesLike): Uint8Array {
  if (bytes instanceof Uint8Array && bytes.constructor === Uint8Array) return bytes
  if (ArrayBuffer.isView(bytes)) {
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  return new Uint8Array(bytes)
}
