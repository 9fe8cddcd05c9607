import type { TapEvent, TapEventBody } from "./tap-event.js"

export type TapListener = (event: TapEvent) => void

/**
 * Fans gateway events out to subscribers. Events are built lazily: with nobody listening and no
 * history kept, a frame is never stringified, so the tap costs nothing on the hot path.
 */
export class Tap {
  readonly #listeners = new Set<TapListener>()
  readonly #history: TapEvent[] = []
  readonly #historySize: number
  #seq = 0

  constructor(historySize: number) {
    this.#historySize = historySize
  }

  get active(): boolean {
    return this.#listeners.size > 0 || this.#historySize > 0
  }

  /** Calls `listener` for every later event; returns the unsubscribe function. */
  subscribe(listener: TapListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** The most recent events (up to the configured history size), oldest first. */
  history(): readonly TapEvent[] {
    return this.#history
  }

  emit(build: () => TapEventBody): void {
    if (!this.active) return
    const event: TapEvent = { ...build(), seq: ++this.#seq, time: Date.now() }
    if (this.#historySize > 0) {
      this.#history.push(event)
      if (this.#history.length > this.#historySize) this.#history.shift()
    }
    for (const listener of this.#listeners) listener(event)
  }
}
