// A minimal runner written straight against the protocol (ws + the versioned codec), so the
// gateway can be tested frame by frame, including frames a well-behaved runner never sends.
import {
  capabilities,
  classifyIndex,
  decodeToClient,
  encodeToServer,
  idKey,
  latest,
  newId,
  RunnerClose,
  runnerConnectUrl,
  runnerSubprotocols,
} from "@tunnelwire/protocol/pinned/v3"
import { WebSocket } from "ws"

/** What an actor keeps about a hibernatable socket; shared between runner instances. */
export interface KeptSocket {
  readonly actorId: string
  readonly lastIndex: number | null
}

/** Stands in for actor storage that outlives a runner process. */
export type SocketStore = Map<string, KeptSocket>

export interface RawRunnerOptions {
  readonly url: string
  readonly version: number
  readonly token?: string
  readonly runnerKey?: string
  readonly name?: string
  readonly namespace?: string
  readonly totalSlots?: number
  /** Answer the gateway's tunnel messages with TunnelAck (default true; see `RawRunner.ackTunnel`). */
  readonly ackTunnel?: boolean
  /** Acknowledge delivered WebSocket messages (default true; v1 has no acknowledgement). */
  readonly ackMessages?: boolean
  /** Offer hibernation on open (default true; v1 cannot say it). */
  readonly canHibernate?: boolean
  readonly store?: SocketStore
  /** Leave the gateway's stop commands pending until `finishStop` (default false: stop at once). */
  readonly holdStops?: boolean
  /** Answers HTTP requests (null: never answers); default: echo method, path and body. */
  readonly http?: (request: RawHttpRequest) => RawHttpResponse | null
}

export interface RawHttpRequest {
  readonly method: string
  readonly path: string
  readonly headers: Map<string, string>
  readonly body: Buffer
  readonly streamed: boolean
}

export interface RawHttpResponse {
  readonly status: number
  readonly headers?: Record<string, string>
  /** Sent whole, or as these chunks when `chunks` is set. */
  readonly body?: string
  readonly chunks?: string[]
}

interface OpenSocket {
  readonly actorId: string
  readonly requestId: ArrayBuffer
  readonly hibernatable: boolean
  lastIndex: number | null
}

const text = (data: ArrayBuffer) => Buffer.from(data).toString("utf8")
const bytes = (value: string) => new Uint8Array(Buffer.from(value)).buffer

export class RawRunner {
  readonly options: RawRunnerOptions
  readonly received: latest.ToClient[] = []
  readonly running = new Map<string, number>()
  readonly sockets = new Map<string, OpenSocket>()
  readonly store: SocketStore
  /** Every client message delivered to an actor, per request id (hex). */
  readonly delivered = new Map<string, string[]>()
  runnerId: string | null = null
  /** Whether tunnel messages from the gateway get a TunnelAck; a test may switch it. */
  ackTunnel: boolean
  /** Stop commands held back (`holdStops`): actor id → generation. */
  readonly heldStops = new Map<string, number>()
  ws!: WebSocket
  #eventIndex = 0n
  #streams = new Map<string, { start: latest.ToClientRequestStart; chunks: Buffer[] }>()
  #waiters: Array<() => boolean> = []
  #stopping = false

  constructor(options: RawRunnerOptions) {
    this.options = options
    this.store = options.store ?? new Map()
    this.ackTunnel = options.ackTunnel ?? true
  }

  get version(): number {
    return this.options.version
  }

  /** Connects and resolves once ToClientInit arrived. */
  async start(): Promise<this> {
    const url = runnerConnectUrl(this.options.url, {
      protocolVersion: this.options.version,
      namespace: this.options.namespace ?? "default",
      runnerKey: this.options.runnerKey ?? crypto.randomUUID(),
    })
    this.ws = new WebSocket(url, runnerSubprotocols(this.options.token))
    this.ws.on("message", (data: Buffer) => this.#onFrame(data))
    await new Promise<void>((resolve, reject) => {
      this.ws.once("open", () => resolve())
      this.ws.once("error", reject)
    })
    this.send({
      tag: "ToServerInit",
      val: {
        name: this.options.name ?? "raw",
        version: 1,
        totalSlots: this.options.totalSlots ?? 1000,
        lastCommandIdx: null,
        prepopulateActorNames: null,
        metadata: null,
      },
    })
    await this.until(() => this.runnerId !== null)
    return this
  }

  send(message: latest.ToServer): void {
    this.ws.send(encodeToServer(message, { version: this.options.version }))
  }

  sendTunnel(requestId: ArrayBuffer, messageKind: latest.ToServerTunnelMessageKind): void {
    this.send({ tag: "ToServerTunnelMessage", val: { requestId, messageId: newId(), messageKind } })
  }

  sendEvent(inner: latest.Event): void {
    this.send({ tag: "ToServerEvents", val: [{ index: this.#eventIndex++, inner }] })
  }

  sleep(actorId: string): void {
    const generation = this.running.get(actorId)
    if (generation === undefined) throw new Error(`actor ${actorId} is not running here`)
    this.sendEvent({
      tag: "EventActorIntent",
      val: { actorId, generation, intent: { tag: "ActorIntentSleep", val: null } },
    })
  }

  /** The actor closes one of its sockets. */
  closeSocket(requestKey: string, code: number | null, reason: string | null, hibernate = false) {
    const socket = this.sockets.get(requestKey)
    if (socket === undefined) throw new Error(`no socket ${requestKey}`)
    this.sockets.delete(requestKey)
    this.store.delete(requestKey)
    this.sendTunnel(socket.requestId, {
      tag: "ToServerWebSocketClose",
      val: { code, reason, hibernate },
    })
  }

  /** The actor sends on one of its sockets. */
  sendOnSocket(requestKey: string, message: string): void {
    const socket = this.sockets.get(requestKey)
    if (socket === undefined) throw new Error(`no socket ${requestKey}`)
    this.sendTunnel(socket.requestId, {
      tag: "ToServerWebSocketMessage",
      val: { data: bytes(message), binary: false },
    })
  }

  /** Messages of one kind this runner received from the gateway. */
  tunnelKinds(tag: latest.ToClientTunnelMessageKind["tag"]): latest.ToClientTunnelMessage[] {
    return this.received.flatMap((message) =>
      message.tag === "ToClientTunnelMessage" && message.val.messageKind.tag === tag
        ? [message.val]
        : [],
    )
  }

  /** Completes a stop command held back by `holdStops`. */
  finishStop(actorId: string): void {
    const generation = this.heldStops.get(actorId)
    if (generation === undefined) throw new Error(`no stop held for actor ${actorId}`)
    this.heldStops.delete(actorId)
    this.#stop(actorId, generation)
  }

  /** Resolves once `condition` holds (checked after every received frame). */
  until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (condition()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("raw runner: condition not met")), timeoutMs)
      const check = () => {
        if (!condition()) return false
        clearTimeout(timer)
        resolve()
        return true
      }
      this.#waiters.push(check)
    })
  }

  /** Closes the connection cleanly; frames arriving meanwhile are left unprocessed (unacked). */
  async stop(): Promise<void> {
    this.#stopping = true
    if (this.ws.readyState === WebSocket.CLOSED) return
    const closed = new Promise((resolve) => this.ws.once("close", resolve))
    this.ws.close()
    await closed
  }

  /** Drops the connection without a close handshake, like a killed process. */
  kill(): void {
    this.ws.terminate()
  }

  #onFrame(data: Buffer): void {
    if (this.#stopping) return
    const message = decodeToClient(data, { version: this.options.version })
    this.received.push(message)
    switch (message.tag) {
      case "ToClientInit":
        this.runnerId = message.val.runnerId
        // A restarted runner continues its event indexes above what the gateway already has.
        if (this.#eventIndex <= message.val.lastEventIdx)
          this.#eventIndex = message.val.lastEventIdx + 1n
        break
      case "ToClientCommands":
        for (const command of message.val) this.#command(command.inner)
        this.send({
          tag: "ToServerAckCommands",
          val: { lastCommandIdx: message.val[message.val.length - 1]!.index },
        })
        break
      case "ToClientTunnelMessage":
        this.#tunnel(message.val)
        break
      default:
        break
    }
    this.#waiters = this.#waiters.filter((check) => !check())
  }

  #command(command: latest.Command): void {
    const { actorId, generation } = command.val
    if (command.tag === "CommandStopActor") {
      if (this.options.holdStops === true) this.heldStops.set(actorId, generation)
      else this.#stop(actorId, generation)
      return
    }
    this.running.set(actorId, generation)
    const restoring = new Set(command.val.hibernatingRequestIds.map(idKey))
    for (const requestId of command.val.hibernatingRequestIds) {
      const kept = this.store.get(idKey(requestId))
      if (kept === undefined) {
        this.sendTunnel(requestId, {
          tag: "ToServerWebSocketClose",
          val: { ...RunnerClose.metaNotFoundDuringRestore, hibernate: false },
        })
        continue
      }
      this.sockets.set(idKey(requestId), {
        actorId,
        requestId,
        hibernatable: true,
        lastIndex: kept.lastIndex,
      })
    }
    for (const [key, kept] of this.store) {
      if (kept.actorId === actorId && !restoring.has(key) && !this.sockets.has(key)) {
        this.store.delete(key)
      }
    }
    this.#state(actorId, generation, { tag: "ActorStateRunning", val: null })
  }

  #stop(actorId: string, generation: number): void {
    for (const [key, socket] of this.sockets) {
      if (socket.actorId !== actorId) continue
      this.sockets.delete(key)
      if (!socket.hibernatable) {
        this.sendTunnel(socket.requestId, {
          tag: "ToServerWebSocketClose",
          val: { ...RunnerClose.actorStopped, hibernate: false },
        })
      }
    }
    this.running.delete(actorId)
    this.#state(actorId, generation, {
      tag: "ActorStateStopped",
      val: { code: latest.StopCode.Ok, message: null },
    })
  }

  #state(actorId: string, generation: number, state: latest.ActorState): void {
    this.sendEvent({ tag: "EventActorStateUpdate", val: { actorId, generation, state } })
  }

  #tunnel(message: latest.ToClientTunnelMessage): void {
    const kind = message.messageKind
    if (kind.tag === "TunnelAck") return
    if (this.ackTunnel) {
      this.send({
        tag: "ToServerTunnelMessage",
        val: {
          requestId: message.requestId,
          messageId: message.messageId,
          messageKind: { tag: "TunnelAck", val: null },
        },
      })
    }
    const key = idKey(message.requestId)
    switch (kind.tag) {
      case "ToClientRequestStart":
        if (kind.val.stream) this.#streams.set(key, { start: kind.val, chunks: [] })
        else
          this.#answerHttp(
            message.requestId,
            kind.val,
            Buffer.from(kind.val.body ?? new ArrayBuffer(0)),
            false,
          )
        return
      case "ToClientRequestChunk": {
        const stream = this.#streams.get(key)
        if (stream === undefined) return
        stream.chunks.push(Buffer.from(kind.val.body))
        if (kind.val.finish) {
          this.#streams.delete(key)
          this.#answerHttp(message.requestId, stream.start, Buffer.concat(stream.chunks), true)
        }
        return
      }
      case "ToClientWebSocketOpen": {
        const hibernatable =
          capabilities(this.options.version).canHibernate && this.options.canHibernate !== false
        this.sockets.set(key, {
          actorId: kind.val.actorId,
          requestId: message.requestId,
          hibernatable,
          lastIndex: null,
        })
        if (hibernatable) this.store.set(key, { actorId: kind.val.actorId, lastIndex: null })
        this.sendTunnel(message.requestId, {
          tag: "ToServerWebSocketOpen",
          val: { canHibernate: hibernatable },
        })
        return
      }
      case "ToClientWebSocketMessage":
        this.#deliver(key, kind.val)
        return
      case "ToClientWebSocketClose":
        this.sockets.delete(key)
        this.store.delete(key)
        return
      default:
        return
    }
  }

  #deliver(key: string, message: latest.ToClientWebSocketMessage): void {
    const socket = this.sockets.get(key)
    if (socket === undefined) return
    // Like Rivet's runner: the gateway numbers messages only on sockets that can hibernate.
    const numbered = socket.hibernatable && capabilities(this.options.version).messageIndex
    if (numbered) {
      const verdict = classifyIndex(socket.lastIndex, message.index)
      if (verdict === "duplicate") return
      if (verdict === "skip") {
        this.closeSocket(
          key,
          RunnerClose.messageIndexSkip.code,
          RunnerClose.messageIndexSkip.reason,
        )
        return
      }
      socket.lastIndex = message.index
      this.store.set(key, { actorId: socket.actorId, lastIndex: message.index })
    }
    const body = text(message.data)
    const log = this.delivered.get(key) ?? []
    log.push(body)
    this.delivered.set(key, log)
    // The example actor echoes every message it receives.
    this.sendTunnel(socket.requestId, {
      tag: "ToServerWebSocketMessage",
      val: { data: bytes(body), binary: message.binary },
    })
    if (numbered && this.options.ackMessages !== false) {
      this.sendTunnel(socket.requestId, {
        tag: "ToServerWebSocketMessageAck",
        val: { index: message.index },
      })
    }
  }

  #answerHttp(
    requestId: ArrayBuffer,
    start: latest.ToClientRequestStart,
    body: Buffer,
    streamed: boolean,
  ): void {
    const answer = this.options.http ?? echoHttp
    const response = answer({
      method: start.method,
      path: start.path,
      headers: new Map(start.headers),
      body,
      streamed,
    })
    if (response === null) return
    const headers = new Map(Object.entries(response.headers ?? {}))
    if (response.chunks === undefined) {
      this.sendTunnel(requestId, {
        tag: "ToServerResponseStart",
        val: { status: response.status, headers, body: bytes(response.body ?? ""), stream: false },
      })
      return
    }
    this.sendTunnel(requestId, {
      tag: "ToServerResponseStart",
      val: { status: response.status, headers, body: null, stream: true },
    })
    response.chunks.forEach((chunk, i) => {
      this.sendTunnel(requestId, {
        tag: "ToServerResponseChunk",
        val: { body: bytes(chunk), finish: i === response.chunks!.length - 1 },
      })
    })
  }
}

function echoHttp(request: RawHttpRequest): RawHttpResponse {
  return {
    status: 200,
    headers: { "content-type": "text/plain" },
    body: `${request.method} ${request.path} ${request.streamed ? "streamed" : "whole"} ${request.body.toString("utf8")}`,
  }
}
