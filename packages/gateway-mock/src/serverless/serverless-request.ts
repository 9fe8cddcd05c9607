import { randomUUID } from "node:crypto"
import type { RunnerConnection } from "../runners/runner-connection.js"
import type { Tap } from "../tap/tap.js"
import { type ResolvedServerlessConfig, startUrl } from "./serverless-config.js"
import { ServerlessError, type ServerlessErrorKind } from "./serverless-error.js"
import { readServerlessInit } from "./serverless-init.js"
import { type SseEvent, SseLimitError, SseReader } from "./sse-reader.js"

/** What a serverless request needs from the gateway. */
export interface ServerlessHost {
  readonly tap: Tap
  /** The gateway's base URL, told to the endpoint as `x-rivet-endpoint`. */
  readonly endpoint: string
  /** The gateway's token, told to the endpoint as `x-rivet-token` (the runner connects with it). */
  readonly token: string | undefined
  runnerById(runnerId: string): RunnerConnection | undefined
  /** Stops the runner's actors (hibernatable sockets stay open) and places none on it any more. */
  drainRunner(connection: RunnerConnection): void
  /** Closes the runner in its protocol family's way, so that it does not come back. */
  closeRunner(connection: RunnerConnection): void
}

export type ServerlessRequestState = "starting" | "running" | "draining" | "ended"

/** The start of an error body kept for the report, as the engine keeps it. */
const ERROR_BODY_CHARS = 512
const SSE_LIMITS = { maxLineChars: 64 * 1024, maxEventChars: 64 * 1024 }

/**
 * One `GET <url>/start` to a serverless endpoint, for the life of the runner it starts: the
 * endpoint starts a runner, which connects over WebSocket, and streams its init event naming the
 * runner id; the gateway drains that runner when the request's lifespan is over (or when told),
 * waits the drain grace period, closes the runner in its family and ends the request
 * (`PB/workflows/serverless/conn.rs`).
 */
export class ServerlessRequest {
  readonly id = randomUUID()
  readonly config: ResolvedServerlessConfig
  state: ServerlessRequestState = "starting"
  runnerId: string | null = null
  /** From the init event: v4+ name their version, every v1–v3 packet means 3. */
  runnerProtocolVersion: number | null = null
  error: ServerlessError | null = null
  readonly startedAt = Date.now()
  drainStartedAt: number | null = null
  endedAt: number | null = null
  readonly #host: ServerlessHost
  readonly #onEnded: (request: ServerlessRequest) => void
  readonly #abort = new AbortController()
  readonly #timers = new Set<NodeJS.Timeout>()

  constructor(
    config: ResolvedServerlessConfig,
    host: ServerlessHost,
    onEnded: (request: ServerlessRequest) => void,
  ) {
    this.config = config
    this.#host = host
    this.#onEnded = onEnded
  }

  start(): void {
    const { requestLifespanMs, drainGracePeriodMs, startTimeoutMs } = this.config
    this.#after(startTimeoutMs, () => {
      if (this.runnerId === null)
        this.#fail("initTimeout", `no init event within ${startTimeoutMs} ms`)
    })
    this.#after(Math.max(0, requestLifespanMs - drainGracePeriodMs), () => this.drain())
    void this.#run()
  }

  /** Stops the runner's actors, then closes it once the drain grace period is over. */
  drain(): void {
    if (this.state === "draining" || this.state === "ended") return
    this.state = "draining"
    this.drainStartedAt = Date.now()
    this.#drainRunner()
    this.#after(this.config.drainGracePeriodMs, () => {
      const connection = this.runnerId === null ? undefined : this.#host.runnerById(this.runnerId)
      if (connection !== undefined) this.#host.closeRunner(connection)
      this.#end()
    })
  }

  /** Ends the request at once (the gateway stops). */
  dispose(): void {
    this.#end()
  }

  async #run(): Promise<void> {
    const url = startUrl(this.config)
    let response: Response
    try {
      response = await fetch(url, { headers: this.#headers(), signal: this.#abort.signal })
    } catch (error) {
      this.#fail("connection", String(error), error)
      return
    }
    if (!response.ok) {
      const body = await startOf(response, ERROR_BODY_CHARS).catch(() => "<unreadable body>")
      this.#fail("httpStatus", `status ${response.status}: ${body}`, undefined, response.status)
      return
    }
    const type = response.headers.get("content-type") ?? ""
    if (!type.toLowerCase().startsWith("text/event-stream") || response.body === null) {
      await response.body?.cancel().catch(() => {})
      this.#fail("contentType", `expected text/event-stream, got ${JSON.stringify(type)}`)
      return
    }
    const sse = new SseReader(SSE_LIMITS)
    const body = response.body.getReader()
    try {
      for (let read = await body.read(); !read.done; read = await body.read()) {
        for (const event of sse.push(read.value)) this.#onEvent(event)
        if (this.state === "ended") return
      }
    } catch (error) {
      if (error instanceof SseLimitError) this.#fail("invalidStream", error.message, error)
      else this.#fail("connection", String(error), error)
      return
    }
    // A stream that ends while draining is expected; before, the runner went away on its own.
    if (this.state === "starting" || this.state === "running")
      this.#fail("streamEndedEarly", "the endpoint ended the request before it was drained")
  }

  #onEvent(event: SseEvent): void {
    // The engine reads `message` events only: `ping` keeps the request alive, others are skipped.
    if (event.event !== "message" || this.state === "ended") return
    let init: ReturnType<typeof readServerlessInit>
    try {
      init = readServerlessInit(event.data)
    } catch (error) {
      const data = event.data.slice(0, ERROR_BODY_CHARS)
      this.#fail("invalidPayload", `${String(error)} (data ${JSON.stringify(data)})`, error)
      return
    }
    // Later init events change nothing, as in the engine.
    if (this.runnerId !== null) return
    this.runnerId = init.runnerId
    this.runnerProtocolVersion = init.runnerProtocolVersion
    if (this.state === "starting") this.state = "running"
    else this.#drainRunner()
  }

  #drainRunner(): void {
    const connection = this.runnerId === null ? undefined : this.#host.runnerById(this.runnerId)
    if (connection !== undefined) this.#host.drainRunner(connection)
  }

  #headers(): Record<string, string> {
    const { config } = this
    return {
      ...config.headers,
      "x-rivet-endpoint": this.#host.endpoint,
      "x-rivet-total-slots": String(config.slotsPerRunner),
      "x-rivet-runner-name": config.runnerName,
      "x-rivet-namespace-name": config.namespace,
      // Deprecated in the engine, still sent: it carries the namespace name too.
      "x-rivet-namespace-id": config.namespace,
      ...(this.#host.token === undefined ? {} : { "x-rivet-token": this.#host.token }),
    }
  }

  /** Reports the error; the request ends at once, unless it drains: a drain runs to its close. */
  #fail(kind: ServerlessErrorKind, message: string, cause?: unknown, status?: number): void {
    if (this.state === "ended") return
    const error = new ServerlessError(
      { kind, url: startUrl(this.config), runnerName: this.config.runnerName, message, status },
      cause === undefined ? undefined : { cause },
    )
    this.error ??= error
    this.#host.tap.emit(() => ({
      type: "fault",
      message: error.message,
      runnerId: this.runnerId,
      requestId: null,
    }))
    if (this.state !== "draining") this.#end()
  }

  #end(): void {
    if (this.state === "ended") return
    this.state = "ended"
    this.endedAt = Date.now()
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    this.#abort.abort()
    this.#onEnded(this)
  }

  #after(delayMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      run()
    }, delayMs)
    this.#timers.add(timer)
  }
}

/**
 * The first `chars` characters of a response body (a UTF-8 character is at most 4 bytes), read no
 * further: an error body is reported, not stored, however much the endpoint sends.
 */
async function startOf(response: Response, chars: number): Promise<string> {
  if (response.body === null) return ""
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < chars * 4) {
    const read = await reader.read()
    if (read.done) break
    chunks.push(read.value)
    size += read.value.byteLength
  }
  await reader.cancel().catch(() => {})
  return Buffer.concat(chunks).toString("utf8").slice(0, chars)
}
