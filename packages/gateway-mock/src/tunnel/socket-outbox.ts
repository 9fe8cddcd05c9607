import { isNewerIndex, nextIndex } from "@tunnelwire/protocol"

export interface OutboxEntry {
  readonly index: number
  readonly data: ArrayBuffer
  readonly binary: boolean
}

export interface OutboxLimits {
  readonly maxMessages: number
  readonly maxBytes: number
}

/**
 * The client→actor messages of one WebSocket that the gateway still holds: sent and not yet
 * acknowledged, or waiting to be sent (while the socket opens or hibernates). Each message gets
 * its u16 index on arrival, so a replay after a wake continues where the runner stopped.
 * Counters shrink on every acknowledgement.
 */
export class SocketOutbox {
  #entries: OutboxEntry[] = []
  #head = 0
  /** Entries from the head already handed to the current runner. */
  #sent = 0
  /** Entries from the head handed to some runner at least once (possibly before a rewind). */
  #sentOnce = 0
  #bytes = 0
  #nextIndex = 0
  readonly #limits: OutboxLimits

  constructor(limits: OutboxLimits) {
    this.#limits = limits
  }

  get size(): number {
    return this.#entries.length - this.#head
  }

  get bytes(): number {
    return this.#bytes
  }

  get unsentCount(): number {
    return this.size - this.#sent
  }

  /** Messages no runner has seen yet: those that arrived while the socket could not forward. */
  get neverSentCount(): number {
    return this.size - this.#sentOnce
  }

  /** Holds a new message, or returns null when it would exceed a bound. */
  push(data: ArrayBuffer, binary: boolean): OutboxEntry | null {
    if (this.size + 1 > this.#limits.maxMessages) return null
    if (this.#bytes + data.byteLength > this.#limits.maxBytes) return null
    const entry = { index: this.#nextIndex, data, binary }
    this.#nextIndex = nextIndex(this.#nextIndex)
    this.#entries.push(entry)
    this.#bytes += data.byteLength
    return entry
  }

  /** Entries not yet sent to the current runner, marked sent as they are returned. */
  *takeUnsent(): Generator<OutboxEntry> {
    while (this.#sent < this.size) {
      const entry = this.#entries[this.#head + this.#sent]!
      this.#sent++
      if (this.#sent > this.#sentOnce) this.#sentOnce = this.#sent
      yield entry
    }
  }

  /** Drops sent entries: for a socket that cannot hibernate there is nothing to replay. */
  forgetSent(): void {
    while (this.#sent > 0) this.#dropHead()
  }

  /** Drops every sent entry up to and including `index` (acknowledgements are cumulative). */
  acknowledge(index: number): void {
    while (this.#sent > 0) {
      const head = this.#entries[this.#head]!
      if (head.index !== index && !isNewerIndex(index, head.index)) return
      this.#dropHead()
    }
  }

  /** Everything held counts as unsent again: the next runner gets it all, in order. */
  rewind(): void {
    this.#sent = 0
  }

  /** Everything held counts as never sent: its runner is gone without acknowledging it. */
  forgetDelivery(): void {
    this.rewind()
    this.#sentOnce = 0
  }

  #dropHead(): void {
    const entry = this.#entries[this.#head]!
    this.#bytes -= entry.data.byteLength
    this.#head++
    this.#sent--
    this.#sentOnce--
    if (this.#head === this.#entries.length) {
      this.#entries = []
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head)
      this.#head = 0
    }
  }
}
