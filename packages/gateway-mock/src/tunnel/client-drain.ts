export interface ClientDrainOptions {
  /** Acknowledgements are held while more than this waits to be written to the client. */
  readonly highWaterBytes: number
  /** More than this waiting for the client is a stuck client, whatever its runner does. */
  readonly maxBytes: number
  /** Held acknowledgements with no write progress for this long are a stuck client. */
  readonly stallTimeoutMs: number
  /** Bytes written toward the client and not yet handed to the kernel. */
  readonly pending: () => number
  /** The client went past a bound; the owner closes it (and then calls `close`). */
  readonly onStuck: (why: string) => void
}

interface HeldAck {
  readonly bytes: number
  readonly acknowledge: () => void
}

/**
 * Backpressure from one client to the runner that feeds it. The gateway answers a runner's data
 * message with `TunnelAck` only once the client has room for it: while more than the high-water
 * mark waits to be written, acknowledgements are held, so the runner's window of unacknowledged
 * bytes fills and its sends wait. Each completed write releases, oldest first, every held
 * acknowledgement whose message is now within the high-water mark of the client.
 */
export class ClientDrain {
  readonly #options: ClientDrainOptions
  #held: HeldAck[] = []
  #head = 0
  #heldBytes = 0
  #stallTimer: NodeJS.Timeout | undefined
  #closed = false

  constructor(options: ClientDrainOptions) {
    this.#options = options
  }

  /** Acknowledgements held back, for the runner's messages the client has not taken yet. */
  get heldCount(): number {
    return this.#held.length - this.#head
  }

  /** Nothing held and no timer: dropping the drain loses nothing (a new one starts the same). */
  get idle(): boolean {
    return this.heldCount === 0 && this.#stallTimer === undefined && !this.#closed
  }

  /**
   * A runner's message of `bytes` was just written to the client, with `progress` as the write's
   * callback; `acknowledge` runs now if the client has room, or once it has.
   */
  wrote(bytes: number, acknowledge: () => void): void {
    if (this.#closed) {
      acknowledge()
      return
    }
    this.#held.push({ bytes, acknowledge })
    this.#heldBytes += bytes
    const pending = this.#options.pending()
    if (pending > this.#options.maxBytes) {
      this.#options.onStuck(
        `${pending} bytes wait for the client, over the bound of ${this.#options.maxBytes}`,
      )
      return
    }
    this.#release()
    if (this.heldCount > 0 && this.#stallTimer === undefined) this.#armStallTimer()
  }

  /** A write to the client completed: the client took bytes, which may make room. */
  readonly progress = (): void => {
    if (this.#closed) return
    this.#release()
    clearTimeout(this.#stallTimer)
    this.#stallTimer = undefined
    if (this.heldCount > 0) this.#armStallTimer()
  }

  /**
   * The client is gone: nothing will wait for it any more, so every held acknowledgement goes
   * out (the runner can forget those messages) and later ones go out at once.
   */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#stallTimer)
    this.#stallTimer = undefined
    const held = this.#held.slice(this.#head)
    this.#held = []
    this.#head = 0
    this.#heldBytes = 0
    for (const ack of held) ack.acknowledge()
  }

  #release(): void {
    const pending = this.#options.pending()
    while (this.#head < this.#held.length) {
      const oldest = this.#held[this.#head]!
      // What waits up to and including the oldest held message: the younger held ones are last.
      const upToOldest = pending - (this.#heldBytes - oldest.bytes)
      if (upToOldest > this.#options.highWaterBytes) break
      this.#head++
      this.#heldBytes -= oldest.bytes
      oldest.acknowledge()
    }
    if (this.#head === this.#held.length) {
      this.#held = []
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#held.length) {
      this.#held = this.#held.slice(this.#head)
      this.#head = 0
    }
  }

  #armStallTimer(): void {
    const timeoutMs = this.#options.stallTimeoutMs
    this.#stallTimer = setTimeout(() => {
      this.#stallTimer = undefined
      if (!this.#closed) this.#options.onStuck(`the client read nothing for ${timeoutMs} ms`)
    }, timeoutMs)
    this.#stallTimer.unref()
  }
}
