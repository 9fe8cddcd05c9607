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

/** One request's unacknowledged messages, oldest first. */
interface RequestQueue {
  readonly messages: Map<string, Unacknowledged>
  bytes: number
  /** When the gateway last acknowledged one of them: the request's last sign of progress. */
  lastAckAt: number | null
}

export interface OutboundTunnelOptions {
  /** Payload bytes held unacknowledged (sent or waiting for a connection) before new data is refused. */
  readonly maxBufferedBytes: number
  readonly ackTimeoutMs: number
  /** Puts a frame on the wire; only called while connected. Returns whether it did. */
  readonly transmit: (frame: Uint8Array) => boolean
  /**
   * v4+ has no `TunnelAck`: a message counts as delivered once it is on the wire, so only what
   * waits for a connection is held (and sent when it comes back).
   */
  readonly deliveredOnSend?: boolean
  /** A request's oldest message went unacknowledged for `ackTimeoutMs` without progress. */
  readonly onAckTimeout: (requestKey: string) => void
  readonly now?: () => number
}

/**
 * Every tunnel message the runner sends, kept in send order until the gateway acknowledges it.
 * While disconnected new messages wait here (bounded); after a reconnect every unacknowledged
 * message goes out again in its original order with its original message id, so the gateway can
 * drop the copies it already had.
 *
 * The ack timeout measures a request's progress, not a message's age: a request times out when
 * its oldest message has been on the wire for `ackTimeoutMs` and no acknowledgement for that
 * request came in that time. A gateway holds acknowledgements back while the client reads
 * slowly (backpressure), so a message may wait long, but the acknowledgements keep coming.
 */
export class OutboundTunnel {
  readonly #options: OutboundTunnelOptions
  readonly #now: () => number
  /** Insertion order is send order, so the first entry is always the oldest on the wire. */
  readonly #pending = new Map<string, Unacknowledged>()
  readonly #requests = new Map<string, RequestQueue>()
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
    // Delivered once on the wire, with nothing older waiting: no bookkeeping at all.
    const sendsNow = this.#connected && this.#pending.size === 0
    if (sendsNow && this.#options.deliveredOnSend === true && this.#options.transmit(frame)) {
      return true
    }
    const entry: Unacknowledged = { requestKey, frame, payloadBytes, sentAt: null }
    this.#pending.set(messageKey, entry)
    let queue = this.#requests.get(requestKey)
    if (queue === undefined) {
      queue = { messages: new Map(), bytes: 0, lastAckAt: null }
      this.#requests.set(requestKey, queue)
    }
    queue.messages.set(messageKey, entry)
    this.#adjust(requestKey, payloadBytes)
    if (this.#connected) this.#transmit(messageKey, entry)
    return true
  }

  acknowledge(messageKey: string): void {
    const entry = this.#pending.get(messageKey)
    if (entry === undefined) return
    this.#pending.delete(messageKey)
    const queue = this.#requests.get(entry.requestKey)
    if (queue !== undefined) {
      queue.messages.delete(messageKey)
      queue.lastAckAt = this.#now()
    }
    this.#adjust(entry.requestKey, -entry.payloadBytes)
    if (queue?.messages.size === 0) this.#requests.delete(entry.requestKey)
  }

  /** Payload bytes of `requestKey` not yet acknowledged by the gateway. */
  bufferedBytes(requestKey: string): number {
    return this.#requests.get(requestKey)?.bytes ?? 0
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
    const queue = this.#requests.get(requestKey)
    if (queue === undefined) return
    for (const key of queue.messages.keys()) this.#pending.delete(key)
    this.#adjust(requestKey, -queue.bytes)
    this.#requests.delete(requestKey)
  }

  /** The connection is ready: everything unacknowledged goes out again, oldest first. */
  connected(): void {
    this.#connected = true
    for (const [messageKey, entry] of [...this.#pending]) this.#transmit(messageKey, entry)
  }

  disconnected(): void {
    this.#connected = false
    for (const entry of this.#pending.values()) entry.sentAt = null
  }

  /** Times out requests that made no progress for the ack timeout (see the class comment). */
  sweep(): void {
    const deadline = this.#now() - this.#options.ackTimeoutMs
    const overdue: string[] = []
    for (const [requestKey, queue] of this.#requests) {
      const oldest = queue.messages.values().next()
      if (oldest.done === true || oldest.value.sentAt === null) continue
      const progressAt = Math.max(oldest.value.sentAt, queue.lastAckAt ?? 0)
      if (progressAt < deadline) overdue.push(requestKey)
    }
    for (const requestKey of overdue) {
      this.discard(requestKey)
      this.#options.onAckTimeout(requestKey)
    }
  }

  clear(): void {
    for (const key of [...this.#requests.keys()]) this.discard(key)
    this.#pending.clear()
  }

  #transmit(messageKey: string, entry: Unacknowledged): void {
    entry.sentAt = this.#now()
    const sent = this.#options.transmit(entry.frame)
    if (sent && this.#options.deliveredOnSend === true) this.acknowledge(messageKey)
  }

  #adjust(requestKey: string, delta: number): void {
    if (delta === 0) return
    this.#bufferedBytes += delta
    const queue = this.#requests.get(requestKey)
    if (queue !== undefined) queue.bytes += delta
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
