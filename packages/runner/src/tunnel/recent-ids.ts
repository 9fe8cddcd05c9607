/**
 * The most recent message ids seen, so a message the gateway delivers twice (it resends what it
 * did not see acknowledged) is processed once. Bounded: the oldest ids are forgotten first.
 */
export class RecentIds {
  readonly #capacity: number
  readonly #ids = new Set<string>()

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** Records `id`; returns `false` when it was already recorded. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false
    this.#ids.add(id)
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.values().next()
      if (oldest.done !== true) this.#ids.delete(oldest.value)
    }
    return true
  }
}
