/** What could be read from a response body without waiting for its producer. */
export interface AvailableBody {
  readonly chunks: Uint8Array[]
  readonly bytes: number
  /** The body ended within what was available: send it in one piece. */
  readonly complete: boolean
  /** The read still in flight when the body was not complete; continue streaming from it. */
  readonly pending: Promise<ReadableStreamReadResult<Uint8Array>> | null
}

const NOT_YET = Symbol("not yet")

function nextMacrotask(): Promise<typeof NOT_YET> {
  return new Promise((resolve) => setImmediate(() => resolve(NOT_YET)))
}

/**
 * Reads chunks for as long as they are already there (each read settles before the next
 * macrotask) and at most `limit` bytes. A body made from a string or a buffer is complete after
 * this and travels in the response start; a body still being produced streams, so its first bytes
 * are not held back behind a producer that is waiting for something.
 */
export async function readAvailable(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
): Promise<AvailableBody> {
  const chunks: Uint8Array[] = []
  let bytes = 0
  let pending = reader.read()
  for (;;) {
    const result = await Promise.race([pending, nextMacrotask()])
    if (result === NOT_YET) return { chunks, bytes, complete: false, pending }
    if (result.done) return { chunks, bytes, complete: true, pending: null }
    chunks.push(result.value)
    bytes += result.value.byteLength
    pending = reader.read()
    if (bytes > limit) return { chunks, bytes, complete: false, pending }
  }
}

export function concat(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  const out = new Uint8Array(bytes)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
