import { ID_LENGTH, newId } from "@tunnelwire/protocol/pinned/v3"

/** Bytes 0–5 count; bytes 6–15 (which hold the UUID version and variant) name the connection. */
const SEQ_LENGTH = 6
const TWO_TO_32 = 2 ** 32
/** 2^48 ids: at a million messages a second, a connection would need nine years to run out. */
const SEQ_LIMIT = 2 ** 48

/**
 * Tunnel message ids for one runner connection, each a valid UUIDv4: a 48-bit sequence number
 * (low word first), then 10 random bytes naming the connection, with the version and variant
 * bits forced. Unique like random ids, but minted without a random draw each and looked up by
 * number when the runner acknowledges them. The changing bytes come first so that ids shortened
 * for display (the stringifier shows the first bytes) still differ.
 */
export class MessageIds {
  readonly #suffix = new Uint8Array(newId()).subarray(SEQ_LENGTH)
  #next = 0

  mint(): { readonly id: ArrayBuffer; readonly seq: number } {
    const seq = this.#next++
    if (seq >= SEQ_LIMIT) throw new RangeError("this connection has minted every message id")
    const bytes = new Uint8Array(ID_LENGTH)
    const view = new DataView(bytes.buffer)
    view.setUint32(0, seq >>> 0)
    view.setUint16(4, Math.floor(seq / TWO_TO_32))
    bytes.set(this.#suffix, SEQ_LENGTH)
    return { id: bytes.buffer, seq }
  }

  /** The sequence number of an id minted here, or null for any other id. */
  seqOf(id: ArrayBuffer): number | null {
    if (id.byteLength !== ID_LENGTH) return null
    const bytes = new Uint8Array(id)
    for (let i = SEQ_LENGTH; i < ID_LENGTH; i++)
      if (bytes[i] !== this.#suffix[i - SEQ_LENGTH]) return null
    const view = new DataView(id)
    return view.getUint16(4) * TWO_TO_32 + view.getUint32(0)
  }
}
