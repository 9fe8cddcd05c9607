import { CloseCode } from "@tunnelwire/protocol/pinned/v3"
import {
  TunnelCloseEvent,
  type TunnelCloseEventInit,
  TunnelErrorEvent,
} from "./websocket-events.js"

export type BinaryType = "arraybuffer" | "nodebuffer"
export type MessageData = string | ArrayBuffer | Buffer

export interface TunnelWebSocketEventMap {
  open: Event
  message: MessageEvent<MessageData>
  close: TunnelCloseEvent
  error: TunnelErrorEvent
  bufferedamountlow: Event
}

type EventHandler<K extends keyof TunnelWebSocketEventMap> =
  | ((this: TunnelWebSocket, event: TunnelWebSocketEventMap[K]) => void)
  | null

/** Where an adapter's own actions go: the tunnel, which turns them into frames. */
export interface WebSocketSink {
  send(data: Uint8Array, binary: boolean): void
  close(code: number | null, reason: string | null): void
  bufferedAmount(): number
  /** Resolves once `bufferedAmount()` is at most `bytes`. */
  drained(bytes: number): Promise<void>
}

/** What the tunnel does to an adapter. Not part of the public API. */
export interface WebSocketControl {
  open(): void
  deliver(data: ArrayBuffer, binary: boolean): void
  /** Closed by the gateway or the runner: fires close, tells the sink nothing. */
  closed(init: Omit<TunnelCloseEventInit, "wasClean">, error?: unknown): void
}

const CONNECTING = 0
const OPEN = 1
const CLOSING = 2
const CLOSED = 3
const MAX_REASON_BYTES = 123

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * A tunneled WebSocket as the actor sees it, behaving like a standard `WebSocket`: `readyState`,
 * `send` of text and binary, `close`, `addEventListener` and `on*` for open, message, close and
 * error, `binaryType` ("nodebuffer", the default, or "arraybuffer"). `bufferedAmount` is the
 * number of bytes sent that the gateway has not acknowledged yet; as on an `RTCDataChannel`,
 * `bufferedamountlow` fires when it falls to `bufferedAmountLowThreshold` or below after a send
 * took it above, so an actor can pace its sends to the client. Created by the runner only.
 */
export class TunnelWebSocket extends EventTarget {
  static readonly CONNECTING = CONNECTING
  static readonly OPEN = OPEN
  static readonly CLOSING = CLOSING
  static readonly CLOSED = CLOSED
  readonly CONNECTING = CONNECTING
  readonly OPEN = OPEN
  readonly CLOSING = CLOSING
  readonly CLOSED = CLOSED

  readonly url: string
  readonly protocol = ""
  readonly extensions = ""
  /** The gateway's id of this socket (hex), as in `HibernatingSocket.requestId`. */
  readonly requestId: string
  /** `bufferedamountlow` fires when `bufferedAmount` falls to this or below. Default 0. */
  bufferedAmountLowThreshold = 0
  #readyState: number
  #awaitingLow = false
  #binaryType: BinaryType = "nodebuffer"
  readonly #sink: WebSocketSink
  readonly #handlers = new Map<string, ((event: Event) => void) | null>()

  /** @internal The runner creates adapters; `bind` receives the tunnel's control. */
  constructor(
    init: { url: string; requestId: string; restored: boolean; sink: WebSocketSink },
    bind: (control: WebSocketControl) => void,
  ) {
    super()
    this.url = init.url
    this.requestId = init.requestId
    this.#sink = init.sink
    this.#readyState = init.restored ? OPEN : CONNECTING
    bind({
      open: () => this.#open(),
      deliver: (data, binary) => this.#deliver(data, binary),
      closed: (closeInit, error) =>
        this.#closed({ ...closeInit, wasClean: error === undefined }, error),
    })
  }

  get readyState(): number {
    return this.#readyState
  }

  get bufferedAmount(): number {
    return this.#sink.bufferedAmount()
  }

  get binaryType(): BinaryType {
    return this.#binaryType
  }

  set binaryType(value: BinaryType) {
    if (value === "arraybuffer" || value === "nodebuffer") this.#binaryType = value
  }

  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    if (this.#readyState === CONNECTING) {
      throw new DOMException("the WebSocket is not open yet", "InvalidStateError")
    }
    if (this.#readyState !== OPEN) return
    if (typeof data === "string") this.#sink.send(encoder.encode(data), false)
    else if (ArrayBuffer.isView(data)) {
      this.#sink.send(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), true)
    } else this.#sink.send(new Uint8Array(data), true)
    this.#watchBufferedAmount()
  }

  close(code?: number, reason?: string): void {
    if (code !== undefined && !isSendableCloseCode(code)) {
      throw new DOMException(`close code ${code} cannot be sent`, "InvalidAccessError")
    }
    if (reason !== undefined && encoder.encode(reason).length > MAX_REASON_BYTES) {
      throw new DOMException(`close reason longer than ${MAX_REASON_BYTES} bytes`, "SyntaxError")
    }
    if (this.#readyState === CLOSING || this.#readyState === CLOSED) return
    this.#readyState = CLOSING
    this.#sink.close(code ?? null, reason ?? null)
    // The gateway sends nothing back for an actor's close, so the close completes here, after
    // the caller's current task like a real closing handshake would.
    queueMicrotask(() =>
      this.#closed({
        code: code ?? CloseCode.noStatusReceived,
        reason: reason ?? "",
        wasClean: true,
        hibernating: false,
      }),
    )
  }

  get onopen(): EventHandler<"open"> {
    return this.#handler("open")
  }
  set onopen(handler: EventHandler<"open">) {
    this.#setHandler("open", handler)
  }
  get onmessage(): EventHandler<"message"> {
    return this.#handler("message")
  }
  set onmessage(handler: EventHandler<"message">) {
    this.#setHandler("message", handler)
  }
  get onclose(): EventHandler<"close"> {
    return this.#handler("close")
  }
  set onclose(handler: EventHandler<"close">) {
    this.#setHandler("close", handler)
  }
  get onbufferedamountlow(): EventHandler<"bufferedamountlow"> {
    return this.#handler("bufferedamountlow")
  }
  set onbufferedamountlow(handler: EventHandler<"bufferedamountlow">) {
    this.#setHandler("bufferedamountlow", handler)
  }
  get onerror(): EventHandler<"error"> {
    return this.#handler("error")
  }
  set onerror(handler: EventHandler<"error">) {
    this.#setHandler("error", handler)
  }

  override addEventListener<K extends keyof TunnelWebSocketEventMap>(
    type: K,
    listener: (this: TunnelWebSocket, event: TunnelWebSocketEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener, options)
  }

  override removeEventListener<K extends keyof TunnelWebSocketEventMap>(
    type: K,
    listener: (this: TunnelWebSocket, event: TunnelWebSocketEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener, options)
  }

  /** After a send that took `bufferedAmount` over the threshold, waits for it to fall back. */
  #watchBufferedAmount(): void {
    const threshold = this.bufferedAmountLowThreshold
    if (this.#awaitingLow || this.bufferedAmount <= threshold) return
    this.#awaitingLow = true
    void this.#sink.drained(threshold).then(() => {
      this.#awaitingLow = false
      if (this.#readyState === OPEN) this.dispatchEvent(new Event("bufferedamountlow"))
    })
  }

  #open(): void {
    if (this.#readyState !== CONNECTING) return
    this.#readyState = OPEN
    this.dispatchEvent(new Event("open"))
  }

  #deliver(data: ArrayBuffer, binary: boolean): void {
    if (this.#readyState !== OPEN) return
    const payload: MessageData = !binary
      ? decoder.decode(data)
      : this.#binaryType === "arraybuffer"
        ? data
        : Buffer.from(data)
    this.dispatchEvent(new MessageEvent("message", { data: payload }))
  }

  #closed(init: TunnelCloseEventInit, error?: unknown): void {
    if (this.#readyState === CLOSED) return
    this.#readyState = CLOSED
    if (error !== undefined) this.dispatchEvent(new TunnelErrorEvent(error))
    this.dispatchEvent(new TunnelCloseEvent(init))
  }

  #handler<K extends keyof TunnelWebSocketEventMap>(type: K): EventHandler<K> {
    return (this.#handlers.get(type) ?? null) as EventHandler<K>
  }

  #setHandler<K extends keyof TunnelWebSocketEventMap>(type: K, handler: EventHandler<K>): void {
    // Like the standard attribute: one listener per type, registered when first set, calling
    // whatever handler is current.
    if (!this.#handlers.has(type)) {
      super.addEventListener(type, (event) => this.#handlers.get(type)?.call(this, event))
    }
    this.#handlers.set(type, handler as ((event: Event) => void) | null)
  }
}

/** Codes an endpoint may send in a close frame (RFC 6455 §7.4.1–7.4.2). */
function isSendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1003) ||
      (code >= 1007 && code <= 1014) ||
      (code >= 3000 && code <= 4999))
  )
}
