import type { latest } from "@tunnelwire/protocol/pinned/v3"
import type { Logger } from "../logger.js"
import { buildRequest, headerMap, viewedData } from "./request.js"
import { concat, readAvailable } from "./response-body.js"

type Fetch = (request: Request) => Promise<Response> | Response

export interface ExchangeDeps {
  /** Sends a tunnel message for this request; `false` when the outbound buffer is full. */
  send(kind: latest.ToServerTunnelMessageKind, payloadBytes?: number): boolean
  /** Resolves once at most `bytes` of this request's data await the gateway's acknowledgement. */
  drained(bytes: number): Promise<void>
  readonly fetch: Fetch | undefined
  readonly logger: Logger
  /** The exchange is over: forget it. */
  ended(): void
}

/** A response whose payload fits this is sent in its start message when it is already complete. */
const INLINE_BODY_LIMIT = 64 * 1024
/** A streaming response waits for acknowledgements while more than this is in flight. */
const STREAM_HIGH_WATER = 1024 * 1024
const NOT_FOUND = 404
const INTERNAL_ERROR = 500

/**
 * One tunneled HTTP request: its body streams in from `ToClientRequestChunk`s, the actor's
 * `fetch` handler answers with a standard `Response`, and the response goes back buffered or
 * streamed (`ToServerResponseChunk`s), with backpressure from the gateway's acknowledgements.
 */
export class HttpExchange {
  readonly #deps: ExchangeDeps
  readonly #abort = new AbortController()
  #bodyController: ReadableStreamDefaultController<Uint8Array> | null = null
  #responseReader: ReadableStreamDefaultReader<Uint8Array> | null = null
  #ended = false

  constructor(deps: ExchangeDeps) {
    this.#deps = deps
  }

  async run(start: latest.ToClientRequestStart): Promise<void> {
    const request = buildRequest(start.path, start.headers, {
      method: start.method,
      body: start.stream ? this.#streamedBody(start.body) : start.body,
      signal: this.#abort.signal,
    })
    const response = await this.#respond(request)
    if (this.#ended) {
      await response.body?.cancel().catch(() => {})
      return
    }
    try {
      await this.#sendResponse(response)
    } catch (error) {
      this.#deps.logger.warn({ err: String(error) }, "response body failed; aborting")
      this.fail()
    }
  }

  chunk(chunk: latest.ToClientRequestChunk): void {
    const controller = this.#bodyController
    if (controller === null) return
    if (chunk.body.byteLength > 0) controller.enqueue(new Uint8Array(chunk.body))
    if (chunk.finish) {
      controller.close()
      this.#bodyController = null
    }
  }

  /** The gateway aborted the request: the handler's signal fires, nothing is sent back. */
  abortedByGateway(): void {
    this.#end(true)
  }

  /** The runner gives up on the request (ack timeout, full buffer, actor stop, shutdown). */
  fail(): void {
    if (this.#ended) return
    this.#deps.send({ tag: "ToServerResponseAbort", val: null })
    this.#end(true)
  }

  #streamedBody(first: ArrayBuffer | null): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#bodyController = controller
        if (first !== null && first.byteLength > 0) controller.enqueue(new Uint8Array(first))
      },
    })
  }

  async #respond(request: Request): Promise<Response> {
    if (this.#deps.fetch === undefined) return new Response(null, { status: NOT_FOUND })
    try {
      return await this.#deps.fetch(request)
    } catch (error) {
      if (!this.#ended) this.#deps.logger.error({ err: String(error) }, "fetch handler threw")
      return new Response(null, { status: INTERNAL_ERROR })
    }
  }

  async #sendResponse(response: Response): Promise<void> {
    const head = { status: response.status, headers: headerMap(response.headers) }
    if (response.body === null) {
      this.#sendFinal({
        tag: "ToServerResponseStart",
        val: { ...head, body: null, stream: false },
      })
      return
    }
    const reader = response.body.getReader()
    this.#responseReader = reader
    const available = await readAvailable(reader, INLINE_BODY_LIMIT)
    if (this.#ended) return
    if (available.complete) {
      const body = concat(available.chunks, available.bytes)
      this.#sendFinal(
        {
          tag: "ToServerResponseStart",
          val: { ...head, body: viewedData(body), stream: false },
        },
        body.byteLength,
      )
      return
    }
    const start = { ...head, body: null, stream: true }
    if (!this.#deps.send({ tag: "ToServerResponseStart", val: start })) {
      this.fail()
      return
    }
    for (const chunk of available.chunks) if (!(await this.#sendChunk(chunk))) return
    let pending = available.pending
    while (pending !== null) {
      const result = await pending
      if (this.#ended) return
      if (result.done) {
        const end = { body: new ArrayBuffer(0), finish: true }
        this.#sendFinal({ tag: "ToServerResponseChunk", val: end })
        return
      }
      if (!(await this.#sendChunk(result.value))) return
      pending = reader.read()
    }
  }

  async #sendChunk(chunk: Uint8Array): Promise<boolean> {
    await this.#deps.drained(STREAM_HIGH_WATER)
    if (this.#ended) return false
    const sent = this.#deps.send(
      { tag: "ToServerResponseChunk", val: { body: viewedData(chunk), finish: false } },
      chunk.byteLength,
    )
    if (!sent) this.fail()
    return sent
  }

  #sendFinal(kind: latest.ToServerTunnelMessageKind, payloadBytes = 0): void {
    if (this.#deps.send(kind, payloadBytes)) this.#end(false)
    else this.fail()
  }

  #end(aborted: boolean): void {
    if (this.#ended) return
    this.#ended = true
    if (aborted) {
      this.#abort.abort()
      this.#bodyController?.error(new DOMException("request aborted", "AbortError"))
      this.#responseReader?.cancel().catch(() => {})
    }
    this.#bodyController = null
    this.#deps.ended()
  }
}
