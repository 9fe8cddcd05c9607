import { randomBytes } from "node:crypto"
import { ID_LENGTH } from "@tunnelwire/protocol"

const PREFIX_LENGTH = 8
const TWO_TO_32 = 2 ** 32

/**
 * Tunnel message ids for one runner connection: 8 random bytes naming the connection, then a
 * 64-bit sequence number. Unique like random ids, but minted without a random draw each and
 * looked up by number when the runner acknowledges them.
 */
export class MessageIds {
  readonly #prefix = randomBytes(PREFIX_LENGTH)
  #next = 0

  mint(): { readonly id: ArrayBuffer; readonly seq: number } {
    const seq = this.#next++
    const bytes = new Uint8Array(ID_LENGTH)
    bytes.set(this.#prefix)
    const view = new DataView(bytes.buffer)
    view.setUint32(PREFIX_LENGTH, Math.floor(seq / TWO_TO_32))
    view.setUint32(PREFIX_LENGTH + 4, seq >>> 0)
    return { id: bytes.buffer, seq }
  }

  /** The sequence number of an id minted here, or null for any other id. */
  seqOf(id: ArrayBuffer): number | null {
    if (id.byteLength !== ID_LENGTH) return null
    const bytes = new Uint8Array(id)
    for (let i = 0; i < PREFIX_LENGTH; i++) if (bytes[i] !== this.#prefix[i]) return null
    const view = new DataView(id)
    return view.getUint32(PREFIX_LENGTH) * TWO_TO_32 + view.getUint32(PREFIX_LENGTH + 4)
  }
}
