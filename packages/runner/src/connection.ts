import WebSocket from "ws"
import { type BackoffOptions, backoffDelay } from "./backoff.js"
import type { Logger } from "./logger.js"
import { batchWritesPerTick } from "./write-batching.js"

export interface ConnectionHandlers {
  /** A socket to the gateway is open: the runner introduces itself. */
  opened(): void
  frame(bytes: Uint8Array): void
  /** The socket closed without `close()` being called; a retry follows unless stopped. */
  lost(code: number, reason: string): void
}

export interface ConnectionOptions {
  readonly url: string
  readonly protocols: readonly string[]
  readonly backoff: BackoffOptions
  readonly random: () => number
  readonly logger: Logger
  readonly handlers: ConnectionHandlers
  /** Runs `callback` after `delayMs`; returns a cancel function. Default: `setTimeout`. */
  readonly schedule?: (callback: () => void, delayMs: number) => () => void
}

function scheduleWithTimeout(callback: () => void, delayMs: number): () => void {
  const timer = setTimeout(callback, delayMs)
  return () => clearTimeout(timer)
}

/** How long a closing handshake may take before the socket is dropped. */
const CLOSE_HANDSHAKE_MS = 2_000
/** An upgrade that has not completed by then counts as a failed attempt (and is retried). */
const OPEN_HANDSHAKE_MS = 15_000

/**
 * The runner's socket to the gateway, reopened with jittered exponential backoff whenever it is
 * lost. Only the socket's `close` event schedules a retry (an `error` is always followed by one),
 * and a retry is never scheduled while another is pending, so there is at most one timer.
 */
export class RunnerConnection {
  readonly #options: ConnectionOptions
  #socket: WebSocket | null = null
  /** Corks the open socket for the rest of the tick (see write-batching.ts). */
  #beforeWrite: () => void = () => {}
  /** Cancels the pending retry; `null` when none is pending. */
  #cancelRetry: (() => void) | null = null
  #attempt = 0
  #reconnecting = true

  constructor(options: ConnectionOptions) {
    this.#options = options
  }

  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN
  }

  connect(): void {
    if (this.#socket !== null || !this.#reconnecting) return
    const { url, protocols, logger, handlers } = this.#options
    const socket = new WebSocket(url, [...protocols], {
      perMessageDeflate: false,
      handshakeTimeout: OPEN_HANDSHAKE_MS,
    })
    socket.binaryType = "nodebuffer"
    this.#socket = socket
    socket.on("upgrade", (response) => {
      this.#beforeWrite = batchWritesPerTick(response.socket)
    })
    socket.on("open", () => {
      logger.info({ url }, "connected to gateway")
      handlers.opened()
    })
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        logger.warn({ bytes: data.length }, "ignored a text frame from the gateway")
        return
      }
      handlers.frame(data)
    })
    socket.on("error", (error: Error) => {
      logger.warn({ err: error.message }, "gateway socket error")
    })
    socket.on("close", (code: number, reason: Buffer) => {
      if (this.#socket !== socket) return
      this.#socket = null
      const text = reason.toString("utf8")
      logger.info({ code, reason: text }, "gateway socket closed")
      handlers.lost(code, text)
      this.#scheduleRetry()
    })
  }

  /** Sends a frame if the socket is open; returns whether it did. */
  send(frame: Uint8Array): boolean {
    const socket = this.#socket
    if (socket === null || socket.readyState !== WebSocket.OPEN) return false
    this.#beforeWrite()
    socket.send(frame)
    return true
  }

  /** The gateway accepted this connection: the next loss starts the backoff from the beginning. */
  established(): void {
    this.#attempt = 0
  }

  /** No more retries; a pending one is cancelled. */
  stopReconnecting(): void {
    this.#reconnecting = false
    this.#cancelRetry?.()
    this.#cancelRetry = null
  }

  /** Closes for good with `code` and `reason`; resolves once the socket is closed. */
  close(code: number, reason: string): Promise<void> {
    this.stopReconnecting()
    const socket = this.#socket
    this.#socket = null
    if (socket === null || socket.readyState === WebSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      const dropAfter = setTimeout(() => socket.terminate(), CLOSE_HANDSHAKE_MS)
      socket.once("close", () => {
        clearTimeout(dropAfter)
        resolve()
      })
      if (socket.readyState === WebSocket.OPEN) socket.close(code, reason)
      else socket.terminate()
    })
  }

  #scheduleRetry(): void {
    if (!this.#reconnecting || this.#cancelRetry !== null) return
    const delay = backoffDelay(this.#attempt, this.#options.backoff, this.#options.random)
    this.#attempt += 1
    this.#options.logger.info({ delayMs: delay, attempt: this.#attempt }, "reconnecting")
    const schedule = this.#options.schedule ?? scheduleWithTimeout
    this.#cancelRetry = schedule(() => {
      this.#cancelRetry = null
      this.connect()
    }, delay)
  }
}
