import { redactTapEvent } from "../tap/redact-event.js"
import type { TapEvent } from "../tap/tap-event.js"
import { followTap, tapUrl } from "../tap/tap-stream.js"

/**
 * What the inspector page receives over its WebSocket: where its events come from (a gateway's
 * tap and its state, or a session file), and tap events.
 */
export type RelayMessage =
  | {
      readonly kind: "status"
      /** The gateway's tap URL, or the session file's name. */
      readonly gateway: string
      readonly state: "connecting" | "live" | "gone" | "session"
      readonly detail: string | null
    }
  | { readonly kind: "events"; readonly events: readonly TapEvent[] }

/** Where the page's events come from: one subscription shared by every open page. */
export interface TapSource {
  start(): void
  subscribe(send: (message: RelayMessage) => void): () => void
  close(): Promise<void>
}

type StatusMessage = Extract<RelayMessage, { kind: "status" }>

export interface RelayOptions {
  readonly token?: string
  /** Wait before reconnecting to a gateway that went away or is not up yet. */
  readonly retryMs?: number
  /** Events kept for pages that open later; the oldest go first. */
  readonly maxEvents?: number
}

/**
 * One subscription to a gateway's tap, shared by every open page: it keeps the events so a page
 * opened (or reloaded) later shows the whole timeline, and reconnects when the gateway restarts.
 */
export class TapRelay implements TapSource {
  readonly #url: string
  readonly #options: RelayOptions
  readonly #events: TapEvent[] = []
  /** `seq:time` of kept events: a reconnect replays the gateway's history, shown once. */
  readonly #seen = new Set<string>()
  readonly #subscribers = new Set<(message: RelayMessage) => void>()
  readonly #stop = new AbortController()
  #status: StatusMessage
  #running: Promise<void> | undefined

  constructor(gatewayUrl: string, options: RelayOptions = {}) {
    this.#url = tapUrl(gatewayUrl, true)
    this.#options = options
    this.#status = { kind: "status", gateway: this.#url, state: "connecting", detail: null }
  }

  start(): void {
    this.#running ??= this.#follow()
  }

  subscribe(send: (message: RelayMessage) => void): () => void {
    send(this.#status)
    send({ kind: "events", events: this.#events })
    this.#subscribers.add(send)
    return () => this.#subscribers.delete(send)
  }

  async close(): Promise<void> {
    this.#stop.abort()
    await this.#running
    this.#subscribers.clear()
  }

  async #follow(): Promise<void> {
    const signal = this.#stop.signal
    while (!signal.aborted) {
      const end = await followTap(this.#url, {
        signal,
        ...(this.#options.token === undefined ? {} : { token: this.#options.token }),
        onOpen: () => this.#setStatus("live", null),
        onEvent: (event) => this.#keep(event),
      })
      if (end.reason === "interrupted") return
      this.#setStatus("gone", end.reason === "gone" ? `closed ${end.code}` : end.detail)
      await sleep(this.#options.retryMs ?? 1_000, signal)
    }
  }

  #keep(received: TapEvent): void {
    // Secrets are redacted by the gateway; a gateway that did not is redacted here.
    const event = redactTapEvent(received)
    const key = `${event.seq}:${event.time}`
    if (this.#seen.has(key)) return
    this.#seen.add(key)
    this.#events.push(event)
    if (this.#events.length > (this.#options.maxEvents ?? 20_000)) {
      const oldest = this.#events.shift()
      if (oldest !== undefined) this.#seen.delete(`${oldest.seq}:${oldest.time}`)
    }
    this.#broadcast({ kind: "events", events: [event] })
  }

  #setStatus(state: StatusMessage["state"], detail: string | null): void {
    this.#status = { kind: "status", gateway: this.#url, state, detail }
    this.#broadcast(this.#status)
  }

  #broadcast(message: RelayMessage): void {
    for (const send of this.#subscribers) send(message)
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    signal.addEventListener("abort", done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener("abort", done)
      resolve()
    }
  })
}
