// A byte stream whose every 4-byte word holds its own index in the stream, so a byte lost,
// repeated or out of order shows at once, wherever the receiver's chunks happen to split.

/** `length` bytes of the stream from `offset` (both multiples of 4). */
export function patternChunk(offset: number, length: number): Uint8Array {
  const words = new Uint32Array(length / 4)
  const first = offset / 4
  for (let i = 0; i < words.length; i++) words[i] = first + i
  return new Uint8Array(words.buffer)
}

/** Checks received bytes against the pattern, in whatever pieces they arrive. */
export class PatternCheck {
  received = 0
  #carry = new Uint8Array(0)

  feed(bytes: Uint8Array): void {
    const joined =
      this.#carry.byteLength === 0 && bytes.byteOffset % 4 === 0 ? bytes : this.#join(bytes)
    const whole = joined.byteLength - (joined.byteLength % 4)
    const words = new Uint32Array(joined.buffer, joined.byteOffset, whole / 4)
    const first = (this.received - this.#carry.byteLength) / 4
    for (let i = 0; i < words.length; i++) {
      if (words[i] !== first + i) {
        throw new Error(`byte ${(first + i) * 4}: word ${words[i]}, expected ${first + i}`)
      }
    }
    this.#carry = joined.slice(whole)
    this.received += bytes.byteLength
  }

  #join(bytes: Uint8Array): Uint8Array {
    const joined = new Uint8Array(this.#carry.byteLength + bytes.byteLength)
    joined.set(this.#carry)
    joined.set(bytes, this.#carry.byteLength)
    return joined
  }
}
