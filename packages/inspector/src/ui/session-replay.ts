import type { TapEvent } from "../tap/tap-event.js"
import type { RelayMessage, TapSource } from "./tap-relay.js"

/** The events of a session file, served to every page as a tap that has ended: no gateway needed. */
export class SessionReplay implements TapSource {
  readonly #name: string
  readonly #events: readonly TapEvent[]

  constructor(name: string, events: readonly TapEvent[]) {
    this.#name = name
    this.#events = events
  }

  start(): void {}

  subscribe(send: (message: RelayMessage) => void): () => void {
    const detail = `${this.#events.length} event${this.#events.length === 1 ? "" : "s"}`
    send({ kind: "status", gateway: this.#name, state: "session", detail })
    send({ kind: "events", events: this.#events })
    return () => {}
  }

  async close(): Promise<void> {}
}
