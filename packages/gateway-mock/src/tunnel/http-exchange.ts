import type { IncomingMessage, ServerResponse } from "node:http"
import { idKey, type latest, newId, redactPath } from "@tunnelwire/protocol"
import { type Actor, type ActorExchange, ActorUnavailableError } from "../actors/actor.js"
import { newRayId } from "../ray-id.js"
import { TunnelIndex } from "../runners/request-table.js"
import type { RunnerConnection, TunnelRequest } from "../runners/runner-connection.js"
import { ClientDrain } from "./client-drain.js"
import { responseStartProblem } from "./response-validation.js"
import { headerMap, ownBytes, type TunnelHost } from "./tunnel-host.js"

const EMPTY = new ArrayBuffer(0)

/**
 * One client HTTP request tunneled to an actor and its response back. Small bodies of known
 * length travel whole in ToClientRequestStart; others stream as chunks, and so may the response.
 */
export class HttpExchange implements TunnelRequest, ActorExchange {
  readonly requestId = newId()
  readonly key = idKey(this.requestId)
  readonly shortId: ArrayBuffer
  readonly tunnelIndex = new TunnelIndex()
  readonly actorId: string
  #state: "awaiting" | "sent" | "responding" | "done" = "awaiting"
  readonly #host: TunnelHost
  readonly #actor: Actor
  readonly #req: IncomingMessage
  readonly #res: ServerResponse
  readonly #path: string
  readonly #drain: ClientDrain
  #connection: RunnerConnection | null = null
  #responseTimer: NodeJS.Timeout | undefined

  constructor(
    host: TunnelHost,
    actor: Actor,
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ) {
    this.#host = host
    this.shortId = host.mintShortId()
    this.#actor = actor
    this.actorId = actor.id
    this.#req = req
    this.#res = res
    this.#path = path
    this.#drain = new ClientDrain({
      highWaterBytes: host.options.clientHighWaterBytes,
      maxBytes: host.options.maxClientBufferedBytes,
      stallTimeoutMs: host.options.clientStallTimeoutMs,
      pending: () => res.writableLength,
      onStuck: (why) => this.#tooSlow(why),
    })
    host.requests.add(this)
    actor.exchanges.add(this)
    res.on("close", () => {
      if (this.#state === "done") return
      this.#tellRunner({ tag: "ToClientRequestAbort", val: null })
      this.#finish("abort", null)
    })
  }

  async run(): Promise<void> {
    let connection: RunnerConnection
    try {
      connection = await this.#actor.whenRunning(this.#host.options.actorStartTimeoutMs)
    } catch (error) {
      const timedOut = error instanceof ActorUnavailableError && error.reason === "startTimeout"
      this.#fail(timedOut ? 504 : 503, `actor ${this.#actor.id} is unavailable: ${String(error)}`)
      return
    }
    if (this.#state !== "awaiting") return
    this.#connection = connection
    connection.requests.add(this)
    this.#state = "sent"
    this.#responseTimer = setTimeout(
      () => this.#abandon(504, "the actor did not respond in time"),
      this.#host.options.responseTimeoutMs,
    )
    this.#emit("start", null)
    if (this.#sendsWhole()) {
      const body = await readBody(this.#req)
      if (this.#state === "sent") this.#start(body, false)
    } else {
      this.#start(null, true)
      this.#req.on("data", (chunk: Buffer) => this.#chunk(ownBytes(chunk), false))
      this.#req.on("end", () => this.#chunk(EMPTY, true))
    }
  }

  onRunnerMessage(
    _connection: RunnerConnection,
    kind: latest.ToServerTunnelMessageKind,
    acknowledge: () => void,
  ): void {
    // A response chunk is acknowledged once the client has room for it; the rest at once.
    if (kind.tag !== "ToServerResponseChunk" || this.#state !== "responding") acknowledge()
    switch (kind.tag) {
      case "ToServerResponseStart":
        this.#respond(kind.val)
        return
      case "ToServerResponseChunk":
        if (this.#state !== "responding") return
        this.#res.write(Buffer.from(kind.val.body), this.#drain.progress)
        this.#drain.wrote(kind.val.body.byteLength, acknowledge)
        if (kind.val.finish) this.#end()
        return
      case "ToServerResponseAbort":
        this.#abandon(502, "the actor aborted the response")
        return
      default:
        this.#host.tap.emit(() => ({
          type: "fault",
          message: `${kind.tag} for an HTTP request`,
          runnerId: this.#connection?.runnerId ?? null,
          requestId: this.key,
        }))
    }
  }

  onAckOverdue(): void {
    this.#tellRunner({ tag: "ToClientRequestAbort", val: null })
    this.#abandon(504, "the runner did not acknowledge the request in time")
  }

  actorGone(): void {
    if (this.#state === "awaiting") return
    this.#abandon(502, "the actor went away during the request")
  }

  /** Fails the request on gateway shutdown. */
  shutdown(): void {
    this.#abandon(503, "the gateway is stopping")
  }

  #sendsWhole(): boolean {
    const length = this.#req.headers["content-length"]
    if (this.#req.headers["transfer-encoding"] !== undefined) return false
    return length === undefined || Number(length) <= this.#host.options.maxBufferedBodyBytes
  }

  #start(body: ArrayBuffer | null, stream: boolean): void {
    this.#tellRunner({
      tag: "ToClientRequestStart",
      val: {
        actorId: this.#actor.id,
        method: this.#req.method ?? "GET",
        path: this.#path,
        headers: headerMap(this.#req.headers),
        body,
        stream,
      },
    })
  }

  #chunk(body: ArrayBuffer, finish: boolean): void {
    if (this.#state === "sent" || this.#state === "responding") {
      this.#tellRunner({ tag: "ToClientRequestChunk", val: { body, finish } })
    }
  }

  #respond(start: latest.ToServerResponseStart): void {
    if (this.#state !== "sent") return
    clearTimeout(this.#responseTimer)
    const problem = responseStartProblem(start.status, start.headers) ?? this.#writeHead(start)
    if (problem !== null) {
      this.#tellRunner({ tag: "ToClientRequestAbort", val: null })
      this.#fail(502, `the actor's response cannot be sent: ${problem}`)
      return
    }
    this.#state = "responding"
    this.#emit("response", start.status)
    if (start.body !== null) this.#res.write(Buffer.from(start.body))
    if (!start.stream) this.#end()
  }

  /** Writes the head; Node may refuse it for reasons of its own, which must not escape. */
  #writeHead(start: latest.ToServerResponseStart): string | null {
    try {
      this.#res.writeHead(start.status, Object.fromEntries(start.headers))
      return null
    } catch (error) {
      for (const name of this.#res.getHeaderNames()) this.#res.removeHeader(name)
      return String(error)
    }
  }

  #end(): void {
    this.#res.end()
    this.#finish("end", this.#res.statusCode)
  }

  /** The client stopped reading the response: cut it, and tell the runner and the tap why. */
  #tooSlow(why: string): void {
    this.#host.tap.emit(() => ({
      type: "fault",
      message: `response cut, the client is too slow: ${why}`,
      runnerId: this.#connection?.runnerId ?? null,
      requestId: this.key,
    }))
    this.#tellRunner({ tag: "ToClientRequestAbort", val: null })
    this.#abandon(502, "the client is too slow")
  }

  /** Gives up: an error status when nothing was sent yet, a cut connection otherwise. */
  #abandon(status: number, message: string): void {
    if (this.#state === "done") return
    if (this.#res.headersSent) {
      this.#res.destroy()
      this.#finish("abort", this.#res.statusCode)
    } else {
      this.#fail(status, message)
    }
  }

  #fail(status: number, message: string): void {
    if (this.#state === "done") return
    const rayId = newRayId()
    this.#host.tap.emit(() => ({
      type: "fault",
      message: `${status} ${message} (ray ${rayId})`,
      runnerId: this.#connection?.runnerId ?? null,
      requestId: this.key,
    }))
    this.#res.writeHead(status, { "content-type": "application/json" })
    this.#res.end(JSON.stringify({ error: message, rayId }))
    this.#finish("end", status)
  }

  #tellRunner(kind: latest.ToClientTunnelMessageKind): void {
    if (this.#connection !== null && this.#state !== "done") {
      this.#connection.sendTunnel(this, kind)
    }
  }

  #finish(event: "end" | "abort", status: number | null): void {
    if (this.#state === "done") return
    this.#state = "done"
    clearTimeout(this.#responseTimer)
    this.#drain.close()
    this.#connection?.requests.remove(this)
    this.#host.requests.remove(this)
    this.#actor.exchanges.delete(this)
    this.#emit(event, status)
  }

  #emit(event: "start" | "response" | "end" | "abort", status: number | null): void {
    this.#host.tap.emit(() => ({
      type: "request",
      event,
      requestId: this.key,
      actorId: this.#actor.id,
      method: this.#req.method ?? "GET",
      path: redactPath(this.#path),
      status,
    }))
  }
}

async function readBody(req: IncomingMessage): Promise<ArrayBuffer | null> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  if (chunks.length === 0) return null
  return ownBytes(Buffer.concat(chunks))
}
