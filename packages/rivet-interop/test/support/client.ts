import WebSocket from "ws"

/** A client WebSocket to an actor through the gateway, with every message and its close recorded. */
export class Client {
  readonly messages: string[] = []
  closed: { code: number; reason: string } | null = null
  readonly ws: WebSocket
  readonly #waiters: (() => void)[] = []

  constructor(gatewayUrl: string, actorId: string, path: string) {
    this.ws = new WebSocket(`${gatewayUrl.replace("http", "ws")}/gateway/${actorId}${path}`)
    this.ws.on("message", (data) => {
      this.messages.push(data.toString())
      this.#notify()
    })
    this.ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() }
      this.#notify()
    })
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve())
      this.ws.once("error", reject)
    })
  }

  /** Resolves once `done()` holds, checking after every message or close. */
  until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs)
      const check = () => {
        if (!done()) return this.#waiters.push(check)
        clearTimeout(timer)
        resolve()
      }
      check()
    })
  }

  #notify(): void {
    for (const waiter of this.#waiters.splice(0)) waiter()
  }
}

/** Polls `done` every 20 ms until it holds, or fails naming `what`. */
export async function eventually(done: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
