/** Origin of the `Request` objects handed to actors; the gateway's path is kept as it is. */
const ACTOR_ORIGIN = "http://actor"

export function actorUrl(path: string): URL {
  return new URL(path, ACTOR_ORIGIN)
}

/** A standard `Request` for a tunneled request (or WebSocket upgrade, as a GET). */
export function buildRequest(
  path: string,
  headers: Iterable<readonly [string, string]>,
  init: {
    readonly method?: string
    readonly body?: ArrayBuffer | ReadableStream<Uint8Array> | null
    readonly signal?: AbortSignal
  } = {},
): Request {
  const method = init.method ?? "GET"
  const canHaveBody = method !== "GET" && method !== "HEAD"
  const requestHeaders = new Headers()
  for (const [name, value] of headers) requestHeaders.append(name, value)
  const requestInit: RequestInit & { duplex: "half" } = {
    method,
    headers: requestHeaders,
    body: canHaveBody ? (init.body ?? null) : null,
    signal: init.signal ?? null,
    // Required by Node's fetch for a streamed body.
    duplex: "half",
  }
  return new Request(actorUrl(path), requestInit)
}

/** Response headers as the protocol's string map (repeated headers joined with ", "). */
export function headerMap(headers: Headers): Map<string, string> {
  const map = new Map<string, string>()
  headers.forEach((value, name) => {
    const previous = map.get(name)
    map.set(name, previous === undefined ? value : `${previous}, ${value}`)
  })
  return map
}

/**
 * The viewed bytes as a message's `data`, not copied: encoders write exactly a view's bytes
 * (protocol README, "Byte views"), though the type names `ArrayBuffer`. Only for a message that
 * is encoded at once and not kept.
 */
export function viewedData(bytes: Uint8Array): ArrayBuffer {
  return bytes as unknown as ArrayBuffer
}

/** A copy of the viewed bytes as the `ArrayBuffer` the codec carries. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy.buffer
}
