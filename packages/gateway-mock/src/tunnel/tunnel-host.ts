import type { ResolvedOptions } from "../options.js"
import type { RequestTable } from "../runners/request-table.js"
import type { TunnelRequest } from "../runners/runner-connection.js"
import type { Tap } from "../tap/tap.js"

/** What a tunneled request needs from the gateway. */
export interface TunnelHost {
  readonly tap: Tap
  readonly options: ResolvedOptions
  /** Every live request by key, whichever runner serves it (or none, while it hibernates). */
  readonly requests: RequestTable<TunnelRequest>
  /** A second-family request id no live request has. */
  mintShortId(): ArrayBuffer
}

/** Request headers as the protocol carries them: one string per name. */
export function headerMap(headers: NodeJS.Dict<string | string[]>): Map<string, string> {
  const map = new Map<string, string>()
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) map.set(name, Array.isArray(value) ? value.join(", ") : value)
  }
  return map
}

/** An exact-size copy of received bytes (ws and http hand out views into pooled buffers). */
export function ownBytes(chunk: Buffer): ArrayBuffer {
  return chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer
}
