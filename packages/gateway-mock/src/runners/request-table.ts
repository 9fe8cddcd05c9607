import { FIRST_TUNNEL_INDEX, idKey } from "@tunnelwire/protocol"
import { flatString } from "../flat-string.js"

/** What every tunneled request carries to be found again from a runner's frame. */
export interface TunnelRequestIds {
  /** Hex of `requestId`: the gateway's own name for the request. */
  readonly key: string
  /** The first family's request id: 16 bytes, an RFC 4122 version-4 UUID. */
  readonly requestId: ArrayBuffer
  /** The second family's request id: 4 bytes, unique among the gateway's live requests. */
  readonly shortId: ArrayBuffer
}

/** Live requests, found by either family's id. */
export class RequestTable<T extends TunnelRequestIds> {
  readonly #byKey = new Map<string, T>()
  readonly #byShortId = new Map<string, T>()

  add(request: T): void {
    this.#byKey.set(request.key, request)
    // Kept as long as the request lives (days, for a hibernating socket): flat.
    this.#byShortId.set(flatString(idKey(request.shortId)), request)
  }

  /** Removes `request`, unless another one took its place meanwhile. */
  remove(request: T): void {
    if (this.#byKey.get(request.key) === request) this.#byKey.delete(request.key)
    const short = idKey(request.shortId)
    if (this.#byShortId.get(short) === request) this.#byShortId.delete(short)
  }

  get(key: string): T | undefined {
    return this.#byKey.get(key)
  }

  has(key: string): boolean {
    return this.#byKey.has(key)
  }

  byShortId(shortId: ArrayBuffer): T | undefined {
    return this.#byShortId.get(idKey(shortId))
  }

  hasShortId(shortId: ArrayBuffer): boolean {
    return this.#byShortId.has(idKey(shortId))
  }

  get size(): number {
    return this.#byKey.size
  }

  values(): IterableIterator<T> {
    return this.#byKey.values()
  }
}

/**
 * Second-family request ids: a gateway-wide u32 counter from a random start, so that no two live
 * requests share one (a random draw could) and ids from an earlier gateway run are unlikely.
 */
export class ShortIds {
  #next = Math.floor(Math.random() * 2 ** 32)

  mint(): ArrayBuffer {
    const bytes = new ArrayBuffer(4)
    new DataView(bytes).setUint32(0, this.#next)
    this.#next = (this.#next + 1) >>> 0
    return bytes
  }
}

/**
 * The gateway→runner message counter of one second-family request: one per request, covering
 * every kind, starting at 0 and wrapping at 2^16. A hibernatable WebSocket keeps it across
 * hibernation, since the request outlives its runner connection.
 */
export class TunnelIndex {
  #next = FIRST_TUNNEL_INDEX

  /** The index for the next message that is not a WebSocket message. */
  take(): number {
    const index = this.#next
    this.#next = (index + 1) & 0xffff
    return index
  }

  /** A WebSocket message went out with `index` (fixed when the client sent it): continue after it. */
  sentAt(index: number): void {
    const distance = (index - this.#next) & 0xffff
    if (distance < 0x8000) this.#next = (index + 1) & 0xffff
  }
}
