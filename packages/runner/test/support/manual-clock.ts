/**
 * A clock a test moves by hand. `schedule` has the shape of the runner's `schedule…` options
 * (`(fire, delayMs) => cancel`), so a timer fires only when the test advances past it.
 */
export class ManualClock {
  now = 0
  /** Every delay asked for, in order (cancelled ones included). */
  readonly delays: number[] = []
  #timers: Array<{ readonly at: number; readonly fire: () => void }> = []

  readonly schedule = (fire: () => void, delayMs: number): (() => void) => {
    const timer = { at: this.now + delayMs, fire }
    this.delays.push(delayMs)
    this.#timers.push(timer)
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer)
    }
  }

  /** Timers scheduled and neither fired nor cancelled. */
  get pending(): number {
    return this.#timers.length
  }

  /** Moves the clock on by `ms`, firing every timer due by then, earliest first. */
  advance(ms: number): void {
    this.now += ms
    for (;;) {
      const due = this.#timers
        .filter((t) => t.at <= this.now)
        .sort((a, b) => a.at - b.at)
        .at(0)
      if (due === undefined) return
      this.#timers = this.#timers.filter((t) => t !== due)
      due.fire()
    }
  }
}
