import { randomBytes } from "node:crypto"
import { ID_LENGTH } from "@tunnelwire/protocol/pinned/v3"

const SEQ_LENGTH = 8
const SUFFIX_LENGTH = ID_LENGTH - SEQ_LENGTH
const TWO_TO_32 = 2 ** 32

/**
 * Tunnel message ids for one runner connection: a 64-bit sequence number (low word first), then
 * 8 random bytes naming the connection. Unique like random ids, but minted without a random draw
 * each and looked up by number when the runner acknowledges them. The changing bytes come first
 * so that ids shortened for display (the stringifier shows the first bytes) still differ.
 */
export class MessageIds {
  readonly #suffix = randomBytes(SUFFIX_LENGTH)
  #next = 0

  mint(): { readonly id: ArrayBuffer; readonly seq: number } {
    const seq = this.#next++
    const bytes = new Uint8Array(ID_LENGTH)
    const view = new DataView(bytes.buffer)
    view.setUint32(0, seq >>> 0)
    view.setUint32(4, Math.floor(seq / TWO_TO_32))
    bytes.set(this.#suffix, SEQ_LENGTH)
    return { id: bytes.buffer, seq }
  }

  /** The sequence number of an id minted here, or null for any other id. */
  seqOf(id: ArrayBuffer): number | null {
    if (id.byteLength !== ID_LENGTH) return null
    const bytes = new Uint8Array(id)
    for (let i = 0; i < SUFFIX_LENGTH; i++)
      if (bytes[SEQ_LENGTH + i] !== this.#suffix[i]) return null
    const view = new DataView(id)
    return view.getUint32(4) * TWO_TO_32 + view.getUint32(0)
  }
}
