interface DrainWaiter {
  readonly bytes: number
  readonly resolve: () => void
}

/** One runner→gateway tunnel message waiting for the gateway's `TunnelAck`. */
interface Unacknowledged {
  readonly requestKey: string
  readonly frame: Uint8Array
  /** Payload bytes it holds: what counts against the bound and a socket's `bufferedAmount`. */
  readonly payloadBytes: number
  /** When it last went on the wire; `null` while it waits for a connection. */
  sentAt: number | null
}

export interface OutboundTunnelOptions {
  /** Payload bytes held unacknowledged (sent or waiting for a connection) before new data is refused. */
  readonly maxBufferedBytes: number
  readonly ackTimeoutMs: number
  /** Puts a frame on the wire; only called while connected. */
  readonly transmit: (frame: Uint8Array) => void
  /** The oldest message of a request went unacknowledged for longer than `ackTimeoutMs`. */
  readonly onAckTimeout: (requestKey: string) => void
  readonly now?: () => number
}

/**
 * Every tunnel message the runner sends, kept in send order until the gateway acknowledges it.
 * While disconnected new messages wait here (bounded); after a reconnect every unacknowledged
 * message goes out again in its original order with its original message id, so the gateway can
 * drop the copies it already had. Ack ages are only counted while a message is on the wire.
 */
export class OutboundTunnel {
  readonly #options: OutboundTunnelOptions
  readonly #now: () => number
  /** Insertion order is send order, so the first entry is always the oldest on the wire. */
  readonly #pending = new Map<string, Unacknowledged>()
  readonly #bytesByRequest = new Map<string, number>()
  readonly #drainWaiters = new Map<string, DrainWaiter[]>()
  #bufferedBytes = 0
  #connected = false

  constructor(options: OutboundTunnelOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
  }

  /**
   * Queues a frame and sends it when connected. Returns `false`, queuing nothing, when its payload
   * would take the held bytes over the bound; frames without payload are always accepted.
   */
  enqueue(
    requestKey: string,
    messageKey: string,
    frame: Uint8Array,
    payloadBytes: number,
  ): boolean {
    if (payloadBytes > 0 && this.#bufferedBytes + payloadBytes > this.#options.maxBufferedBytes) {
      return false
    }
    const entry: Unacknowledged = { requestKey, frame, payloadBytes, sentAt: null }
    this.#pending.set(messageKey, entry)
    this.#adjust(requestKey, payloadBytes)
    if (this.#connected) this.#transmit(entry)
    return true
  }

  acknowledge(messageKey: string): void {
    const entry = this.#pending.get(messageKey)
    if (entry === undefined) return
    this.#pending.delete(messageKey)
    this.#adjust(entry.requestKey, -entry.payloadBytes)
  }

  /** Payload bytes of `requestKey` not yet acknowledged by the gateway. */
  bufferedBytes(requestKey: string): number {
    return this.#bytesByRequest.get(requestKey) ?? 0
  }

  /** Resolves once `requestKey` holds at most `bytes` unacknowledged (or was discarded). */
  drained(requestKey: string, bytes: number): Promise<void> {
    if (this.bufferedBytes(requestKey) <= bytes) return Promise.resolve()
    return new Promise((resolve) => {
      const waiters = this.#drainWaiters.get(requestKey) ?? []
      waiters.push({ bytes, resolve })
      this.#drainWaiters.set(requestKey, waiters)
    })
  }

  /** Forgets every unacknowledged message of a request. */
  discard(requestKey: string): void {
    for (const [key, entry] of this.#pending) {
      if (entry.requestKey === requestKey) this.#pending.delete(key)
    }
    this.#adjust(requestKey, -this.bufferedBytes(requestKey))
  }

  /** The connection is ready: everything unacknowledged goes out again, oldest first. */
  connected(): void {
    this.#connected = true
    for (const entry of this.#pending.values()) this.#transmit(entry)
  }

  disconnected(): void {
    this.#connected = false
    for (const entry of this.#pending.values()) entry.sentAt = null
  }

  /** Times out requests whose oldest message on the wire is older than the ack timeout. */
  sweep(): void {
    const deadline = this.#now() - this.#options.ackTimeoutMs
    for (;;) {
      const oldest = this.#pending.values().next()
      if (oldest.done === true) return
      const { sentAt, requestKey } = oldest.value
      if (sentAt === null || sentAt >= deadline) return
      this.discard(requestKey)
      this.#options.onAckTimeout(requestKey)
    }
  }

  clear(): void {
    for (const key of [...this.#bytesByRequest.keys()]) this.discard(key)
    this.#pending.clear()
  }

  #transmit(entry: Unacknowledged): void {
    entry.sentAt = this.#now()
    this.#options.transmit(entry.frame)
  }

  #adjust(requestKey: string, delta: number): void {
    if (delta === 0) return
    this.#bufferedBytes += delta
    const bytes = this.bufferedBytes(requestKey) + delta
    if (bytes === 0) this.#bytesByRequest.delete(requestKey)
    else this.#bytesByRequest.set(requestKey, bytes)
    if (delta < 0) this.#wakeDrainWaiters(requestKey)
  }

  #wakeDrainWaiters(requestKey: string): void {
    const waiters = this.#drainWaiters.get(requestKey)
    if (waiters === undefined) return
    const held = this.bufferedBytes(requestKey)
    const waiting = waiters.filter((waiter) => waiter.bytes < held)
    for (const waiter of waiters) if (waiter.bytes >= held) waiter.resolve()
    if (waiting.length === 0) this.#drainWaiters.delete(requestKey)
    else this.#drainWaiters.set(requestKey, waiting)
  }
}
