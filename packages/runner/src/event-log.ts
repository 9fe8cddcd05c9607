import type { latest } from "@tunnelwire/protocol/pinned/v3"

/**
 * Events the gateway has not acknowledged yet, with their indexes. They are sent once per
 * connection: when raised while connected, or all together after a reconnect; pruned when the
 * gateway acknowledges them (`ToClientAckEvents`, or `ToClientInit.lastEventIdx`).
 */
export class EventLog {
  #nextIndex = 0n
  #pending: latest.EventWrapper[] = []

  append(inner: latest.Event): latest.EventWrapper {
    const wrapper: latest.EventWrapper = { index: this.#nextIndex, inner }
    this.#nextIndex += 1n
    this.#pending.push(wrapper)
    return wrapper
  }

  /**
   * Drops every event up to `lastEventIdx`. New indexes continue above it, so a runner that
   * reconnects under a key the gateway already knows never reuses an acknowledged index.
   */
  acknowledge(lastEventIdx: bigint): void {
    this.#pending = this.#pending.filter((event) => event.index > lastEventIdx)
    if (this.#nextIndex <= lastEventIdx) this.#nextIndex = lastEventIdx + 1n
  }

  get unacknowledged(): readonly latest.EventWrapper[] {
    return this.#pending
  }
}
