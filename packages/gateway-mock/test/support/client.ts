// A client of the gateway's public routes, recording what it sees.
import { WebSocket } from "ws"

export interface ClosedWith {
  readonly code: number
  readonly reason: string
}

export class TestClient {
  readonly ws: WebSocket
  readonly messages: string[] = []
  closed: ClosedWith | null = null
  readonly opened: Promise<void>
  readonly closedPromise: Promise<ClosedWith>
  #waiters: Array<() => boolean> = []

  constructor(url: string) {
    this.ws = new WebSocket(url)
    this.ws.on("message", (data: Buffer) => {
      this.messages.push(data.toString("utf8"))
      this.#check()
    })
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve())
      this.ws.once("unexpected-response", (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      )
      this.ws.once("error", reject)
    })
    this.opened.catch(() => {})
    this.closedPromise = new Promise((resolve) => {
      this.ws.once("close", (code, reason) => {
        this.closed = { code, reason: reason.toString() }
        resolve(this.closed)
        this.#check()
      })
    })
  }

  send(message: string): void {
    this.ws.send(message)
  }

  until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (condition()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`client: condition not met (${this.messages.length} messages)`)),
        timeoutMs,
      )
      this.#waiters.push(() => {
        if (!condition()) return false
        clearTimeout(timer)
        resolve()
        return true
      })
    })
  }

  #check(): void {
    this.#waiters = this.#waiters.filter((check) => !check())
  }
}

/** The WebSocket URL of a client route, such as `ws://host/gateway/{actorId}/chat`. */
export function gatewaySocketUrl(gatewayUrl: string, actorId: string, path = "/"): string {
  return `${gatewayUrl.replace(/^http/, "ws")}/gateway/${actorId}${path}`
}

/** Resolves when `condition` holds, polling; for state the test cannot subscribe to. */
export async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("eventually: condition not met")
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
