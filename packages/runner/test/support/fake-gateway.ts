// An in-process stand-in for the gateway: a real WebSocket server on 127.0.0.1 that speaks the
// runner protocol through @tunnelwire/protocol's versioned codec, records every frame in both
// directions, and offers the gateway's moves (commands, tunneled requests and sockets) as calls.
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { Duplex } from "node:stream"
import {
  capabilities,
  decodeToServer as decodeV7ToServer,
  encodeToClient as encodeV7ToClient,
  type v7,
} from "@tunnelwire/protocol"
import {
  decodeToServer,
  encodeToClient,
  idKey,
  type latest,
  newId,
  parseRunnerConnectUrl,
  tokenFromSubprotocols,
} from "@tunnelwire/protocol/pinned/v3"
import { type WebSocket, WebSocketServer } from "ws"
import { FakeKv } from "./fake-kv.js"
import { V7Translation } from "./v7-translation.js"

export interface Frame {
  /** Which runner connection (0, 1, …) carried it. */
  readonly connection: number
  /** `in`: runner → gateway; `out`: gateway → runner. */
  readonly direction: "in" | "out"
  readonly bytes: Uint8Array
  /** In the v3 model, whatever the version (v4+ frames are translated). */
  readonly message: latest.ToServer | latest.ToClient
}

export interface ConnectionRecord {
  readonly version: number
  readonly runnerKey: string
  readonly namespace: string
  readonly protocols: readonly string[]
  closeCode: number | null
  closeReason: string | null
}

export interface FakeGatewayOptions {
  readonly token?: string
  /** Send `TunnelAck` for every tunnel message of the runner. Default true. */
  readonly ackTunnel?: boolean
  /** Acknowledge events as they arrive. Default true. */
  readonly ackEvents?: boolean
  /** Refuse this many upgrade attempts (HTTP 503) before accepting. Default 0. */
  readonly refuseUpgrades?: number
  /** Answer `ToServerStopping` with a stop command for every running actor. Default true. */
  readonly stopActorsOnStopping?: boolean
}

export interface HttpResult {
  readonly status: number
  readonly headers: ReadonlyMap<string, string>
  readonly body: Uint8Array
  /** Whether the response came as a stream of chunks. */
  readonly streamed: boolean
}

type Waiter = () => boolean

export class FakeGateway {
  readonly frames: Frame[] = []
  readonly connections: ConnectionRecord[] = []
  upgradeAttempts = 0
  ackTunnel: boolean
  ackEvents: boolean
  /** Highest event index acknowledged to the runner; reported in `ToClientInit`. */
  acknowledgedEventIdx = -1n
  /** Actors the runner reported running, with their generation. */
  readonly runningActors = new Map<string, number>()
  stopActorsOnStopping: boolean
  /** Answer `ToServerInit` with `ToClientInit` (off: the runner is never accepted). */
  answerInit = true
  /** Leave KV requests unanswered (to time them out). */
  kvSilent = false
  /** The runner id `ToClientInit` names. */
  runnerId = "fake-runner"
  /** The `runnerLostThreshold` `ToClientInit` names, in ms. */
  runnerLostThreshold = 10_000n
  readonly kv = new FakeKv()
  readonly #server: Server
  readonly #wss = new WebSocketServer({ noServer: true })
  readonly #options: FakeGatewayOptions
  #socket: WebSocket | null = null
  #waiters: Waiter[] = []
  #commandIndex = 0n
  #highestEventSeen = -1n
  #unacknowledgedTunnel: Array<{ requestId: ArrayBuffer; messageId: ArrayBuffer }> = []
  #refusalsLeft: number
  /** v4+ connections: the v3 model ↔ the v7 shape, kept across reconnects as an engine would. */
  translation = new V7Translation()
  #pings = 0n

  private constructor(server: Server, options: FakeGatewayOptions) {
    this.#server = server
    this.#options = options
    this.ackTunnel = options.ackTunnel ?? true
    this.ackEvents = options.ackEvents ?? true
    this.#refusalsLeft = options.refuseUpgrades ?? 0
    this.stopActorsOnStopping = options.stopActorsOnStopping ?? true
    server.on("upgrade", (request, socket, head) => this.#upgrade(request, socket, head))
  }

  static async start(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
    const server = createServer((_, response) => response.writeHead(404).end())
    const gateway = new FakeGateway(server, options)
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    return gateway
  }

  get url(): string {
    const address = this.#server.address()
    if (address === null || typeof address === "string") throw new Error("not listening")
    return `http://127.0.0.1:${address.port}`
  }

  /** The protocol version of the current (or last) connection. */
  get version(): number {
    const last = this.connections.at(-1)
    if (last === undefined) throw new Error("no runner connected yet")
    return last.version
  }

  get connected(): boolean {
    return this.#socket !== null
  }

  send(message: latest.ToClient): void {
    const socket = this.#socket
    if (socket === null) throw new Error("no runner connected")
    const bytes = this.checkpoints
      ? encodeV7ToClient(this.translation.toClient(message, this.version), {
          version: this.version,
        })
      : encodeToClient(message, { version: this.version })
    this.#record({ connection: this.connections.length - 1, direction: "out", bytes, message })
    socket.send(bytes)
  }

  /** Whether the connection speaks v4+ (checkpoints, gateway pings, no `TunnelAck`). */
  get checkpoints(): boolean {
    return capabilities(this.version).checkpoints
  }

  /** The runner's key for a request the gateway opened (v4+: `gatewayId ‖ requestId`, hex). */
  requestKey(requestId: ArrayBuffer): string {
    return this.checkpoints ? this.translation.runnerRequestKey(requestId) : idKey(requestId)
  }

  /** v4+: a message with no v3 model (a ping), sent as it is. */
  sendV7(message: v7.ToClient): void {
    const socket = this.#socket
    if (socket === null) throw new Error("no runner connected")
    socket.send(encodeV7ToClient(message, { version: this.version }))
  }

  /** Resolves with the first non-undefined value of `probe`, checked after every frame. */
  waitFor<T>(probe: () => T | undefined | false): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const value = probe()
        if (value === undefined || value === false) return false
        resolve(value)
        return true
      }
      if (!check()) this.#waiters.push(check)
    })
  }

  /** The next runner → gateway frame from `since` (a frame count) on that matches. */
  nextFrom(since: number, match: (message: latest.ToServer) => boolean): Promise<Frame> {
    return this.waitFor(() =>
      this.frames
        .slice(since)
        .find((f) => f.direction === "in" && match(f.message as latest.ToServer)),
    )
  }

  /** Runner → gateway messages, optionally from frame count `since`. */
  received(since = 0): latest.ToServer[] {
    return this.frames
      .slice(since)
      .filter((f) => f.direction === "in")
      .map((f) => f.message as latest.ToServer)
  }

  /** Runner → gateway tunnel messages of one request, from frame count `since`. */
  tunnelFrom(requestId: ArrayBuffer, since = 0): latest.ToServerTunnelMessageKind[] {
    const key = idKey(requestId)
    return this.received(since).flatMap((message) =>
      message.tag === "ToServerTunnelMessage" && idKey(message.val.requestId) === key
        ? [message.val.messageKind]
        : [],
    )
  }

  /** Waits until the runner has processed everything sent before: a message it must ack. */
  async barrier(): Promise<void> {
    if (this.checkpoints) {
      // v4+ acknowledges no tunnel message: a ping's pong comes after everything sent before.
      const ts = ++this.#pings
      const since = this.frames.length
      this.sendV7({ tag: "ToClientPing", val: { ts } })
      await this.nextFrom(since, (m) => m.tag === "ToServerPing" && m.val.ts === ts)
      return
    }
    const messageId = newId()
    const since = this.frames.length
    this.send(tunnel(newId(), { tag: "ToClientRequestAbort", val: null }, messageId))
    const key = idKey(messageId)
    await this.nextFrom(
      since,
      (m) =>
        m.tag === "ToServerTunnelMessage" &&
        m.val.messageKind.tag === "TunnelAck" &&
        idKey(m.val.messageId) === key,
    )
  }

  /** Waits until connection number `count` exists and the gateway answered its ToServerInit. */
  async waitForReady(count: number): Promise<void> {
    await this.waitFor(
      () =>
        this.connections.length === count &&
        this.connected &&
        this.frames.some(
          (f) =>
            f.connection === count - 1 && f.direction === "out" && f.message.tag === "ToClientInit",
        ),
    )
  }

  async waitForConnection(count: number): Promise<void> {
    await this.waitFor(() => this.connections.length >= count && this.connected)
  }

  /** Resolves once the runner's connection has reported that `actorId` is running. */
  async startActor(
    actorId: string,
    options: {
      generation?: number
      hibernatingRequestIds?: ArrayBuffer[]
      input?: Uint8Array
    } = {},
  ): Promise<void> {
    const generation = options.generation ?? 0
    const since = this.frames.length
    this.sendCommand({
      tag: "CommandStartActor",
      val: {
        actorId,
        generation,
        config: {
          name: "test-actor",
          key: null,
          createTs: 1_700_000_000_000n,
          input: options.input === undefined ? null : toArrayBuffer(options.input),
        },
        hibernatingRequestIds: options.hibernatingRequestIds ?? [],
      },
    })
    await this.waitForState(actorId, "ActorStateRunning", since)
  }

  async stopActor(actorId: string, generation = 0): Promise<void> {
    const since = this.frames.length
    this.sendCommand({ tag: "CommandStopActor", val: { actorId, generation } })
    await this.waitForState(actorId, "ActorStateStopped", since)
  }

  sendCommand(command: latest.Command): void {
    const index = this.#commandIndex
    this.#commandIndex += 1n
    this.send({ tag: "ToClientCommands", val: [{ index, inner: command }] })
  }

  waitForState(actorId: string, state: latest.ActorState["tag"], since = 0): Promise<Frame> {
    return this.nextFrom(
      since,
      (m) =>
        m.tag === "ToServerEvents" &&
        m.val.some(
          (e) =>
            e.inner.tag === "EventActorStateUpdate" &&
            e.inner.val.actorId === actorId &&
            e.inner.val.state.tag === state,
        ),
    )
  }

  /** Opens a client WebSocket to the actor; resolves with its request id once the runner answered. */
  async openWebSocket(
    actorId: string,
    options: { path?: string; headers?: Record<string, string> } = {},
  ): Promise<{ requestId: ArrayBuffer; answer: latest.ToServerTunnelMessageKind }> {
    const requestId = newId()
    const since = this.frames.length
    this.sendTunnel(requestId, {
      tag: "ToClientWebSocketOpen",
      val: {
        actorId,
        path: options.path ?? "/ws",
        headers: new Map(Object.entries(options.headers ?? {})),
      },
    })
    const answer = await this.waitFor(() =>
      this.tunnelFrom(requestId, since).find(
        (k) => k.tag === "ToServerWebSocketOpen" || k.tag === "ToServerWebSocketClose",
      ),
    )
    return { requestId, answer }
  }

  sendWebSocketMessage(
    requestId: ArrayBuffer,
    data: string | Uint8Array,
    options: { index: number; binary?: boolean },
  ): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data
    this.sendTunnel(requestId, {
      tag: "ToClientWebSocketMessage",
      val: {
        index: options.index,
        data: toArrayBuffer(bytes),
        binary: options.binary ?? typeof data !== "string",
      },
    })
  }

  closeWebSocket(requestId: ArrayBuffer, code: number | null, reason: string | null): void {
    this.sendTunnel(requestId, { tag: "ToClientWebSocketClose", val: { code, reason } })
  }

  sendTunnel(requestId: ArrayBuffer, kind: latest.ToClientTunnelMessageKind): ArrayBuffer {
    const messageId = newId()
    this.send(tunnel(requestId, kind, messageId))
    return messageId
  }

  /** A tunneled HTTP request; `chunks` stream the body after the start. */
  async request(
    actorId: string,
    init: {
      method?: string
      path?: string
      headers?: Record<string, string>
      body?: Uint8Array
      chunks?: Uint8Array[]
    } = {},
  ): Promise<HttpResult & { requestId: ArrayBuffer }> {
    const requestId = newId()
    const since = this.frames.length
    const stream = init.chunks !== undefined
    this.sendTunnel(requestId, {
      tag: "ToClientRequestStart",
      val: {
        actorId,
        method: init.method ?? "GET",
        path: init.path ?? "/",
        headers: new Map(Object.entries(init.headers ?? {})),
        body: init.body === undefined ? null : toArrayBuffer(init.body),
        stream,
      },
    })
    const chunks = init.chunks ?? []
    chunks.forEach((chunk, i) => {
      this.sendTunnel(requestId, {
        tag: "ToClientRequestChunk",
        val: { body: toArrayBuffer(chunk), finish: i === chunks.length - 1 },
      })
    })
    const result = await this.waitFor(() => responseOf(this.tunnelFrom(requestId, since)))
    return { ...result, requestId }
  }

  /** Acknowledges every event received so far (for tests that hold acknowledgements back). */
  acknowledgeEvents(): void {
    if (!this.connected || this.#highestEventSeen <= this.acknowledgedEventIdx) return
    this.acknowledgedEventIdx = this.#highestEventSeen
    this.send({ tag: "ToClientAckEvents", val: { lastEventIdx: this.acknowledgedEventIdx } })
  }

  /** Sends the TunnelAcks held back while `ackTunnel` was off. */
  acknowledgeTunnel(): void {
    if (!this.connected || this.checkpoints) return
    const held = this.#unacknowledgedTunnel
    this.#unacknowledgedTunnel = []
    for (const { requestId, messageId } of held) {
      this.send(tunnel(requestId, { tag: "TunnelAck", val: null }, messageId))
    }
  }

  /**
   * Forgets the runner as a restarted gateway would: the next `ToClientInit` names `runnerId`, and
   * commands, events and actors count from nothing again.
   */
  forgetRunner(runnerId: string): void {
    this.runnerId = runnerId
    this.#commandIndex = 0n
    this.#highestEventSeen = -1n
    this.acknowledgedEventIdx = -1n
    this.runningActors.clear()
    this.translation = new V7Translation()
  }

  /** Closes the runner's connection with a close frame. */
  closeConnection(code: number, reason: string): void {
    this.#socket?.close(code, reason)
  }

  /** Drops the runner's connection as a network failure would (no close frame). */
  drop(): void {
    this.#socket?.terminate()
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate()
    this.#wss.close()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgradeAttempts += 1
    // A runner that gives up mid-handshake resets the TCP connection; that is not a test failure.
    socket.on("error", () => {})
    const url = new URL(request.url ?? "/", "http://gateway")
    const parsed = parseRunnerConnectUrl(url)
    const protocols = (request.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p !== "")
    const tokenOk =
      this.#options.token === undefined || tokenFromSubprotocols(protocols) === this.#options.token
    if (!parsed.ok || !tokenOk || this.#refusalsLeft > 0) {
      if (this.#refusalsLeft > 0) this.#refusalsLeft -= 1
      socket.end("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
      this.#notify()
      return
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      const record: ConnectionRecord = {
        version: parsed.params.protocolVersion,
        runnerKey: parsed.params.runnerKey,
        namespace: parsed.params.namespace,
        protocols,
        closeCode: null,
        closeReason: null,
      }
      this.connections.push(record)
      const connection = this.connections.length - 1
      this.#socket = ws
      ws.on("message", (data: Buffer) => this.#onFrame(connection, record.version, data))
      ws.on("close", (code, reason) => {
        record.closeCode = code
        record.closeReason = reason.toString("utf8")
        if (this.#socket === ws) {
          this.#socket = null
          this.#unacknowledgedTunnel = []
        }
        this.#notify()
      })
      this.#notify()
    })
  }

  #onFrame(connection: number, version: number, data: Buffer): void {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    const message = capabilities(version).checkpoints
      ? this.translation.toServer(decodeV7ToServer(bytes, { version }))
      : decodeToServer(bytes, { version })
    this.#record({ connection, direction: "in", bytes, message })
    if (connection !== this.connections.length - 1) return
    switch (message.tag) {
      case "ToServerInit":
        if (!this.answerInit) return
        this.send({
          tag: "ToClientInit",
          val: {
            runnerId: this.runnerId,
            lastEventIdx: this.acknowledgedEventIdx,
            metadata: { runnerLostThreshold: this.runnerLostThreshold },
          },
        })
        return
      case "ToServerStopping":
        if (!this.stopActorsOnStopping) return
        for (const [actorId, generation] of this.runningActors) {
          this.sendCommand({ tag: "CommandStopActor", val: { actorId, generation } })
        }
        return
      case "ToServerEvents": {
        for (const { inner } of message.val) {
          if (inner.tag !== "EventActorStateUpdate") continue
          if (inner.val.state.tag === "ActorStateRunning") {
            this.runningActors.set(inner.val.actorId, inner.val.generation)
          } else this.runningActors.delete(inner.val.actorId)
        }
        const last = message.val.at(-1)
        // v4+ numbers events per actor generation: any new event is one to acknowledge.
        if (last !== undefined && (last.index > this.#highestEventSeen || this.checkpoints)) {
          this.#highestEventSeen = last.index
          if (this.checkpoints) this.acknowledgedEventIdx = -1n
        }
        if (this.ackEvents) this.acknowledgeEvents()
        return
      }
      case "ToServerKvRequest":
        if (this.kvSilent) return
        this.send({
          tag: "ToClientKvResponse",
          val: { requestId: message.val.requestId, data: this.kv.handle(message.val) },
        })
        return
      case "ToServerTunnelMessage": {
        const { requestId, messageId, messageKind } = message.val
        if (messageKind.tag === "TunnelAck" || this.checkpoints) return
        if (this.ackTunnel) this.send(tunnel(requestId, { tag: "TunnelAck", val: null }, messageId))
        else this.#unacknowledgedTunnel.push({ requestId, messageId })
        return
      }
      default:
        return
    }
  }

  #record(frame: Frame): void {
    this.frames.push(frame)
    this.#notify()
  }

  #notify(): void {
    this.#waiters = this.#waiters.filter((check) => !check())
  }
}

export function tunnel(
  requestId: ArrayBuffer,
  messageKind: latest.ToClientTunnelMessageKind,
  messageId: ArrayBuffer = newId(),
): latest.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: { requestId, messageId, messageKind, gatewayReplyTo: null },
  }
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy.buffer
}

function responseOf(kinds: latest.ToServerTunnelMessageKind[]): HttpResult | undefined {
  const start = kinds.find((k) => k.tag === "ToServerResponseStart")
  if (start === undefined || start.tag !== "ToServerResponseStart") return undefined
  const head = { status: start.val.status, headers: start.val.headers }
  if (!start.val.stream) {
    const body = new Uint8Array(start.val.body ?? new ArrayBuffer(0))
    return { ...head, body, streamed: false }
  }
  const chunks = kinds.flatMap((k) => (k.tag === "ToServerResponseChunk" ? [k.val] : []))
  if (!chunks.some((c) => c.finish)) return undefined
  const body = new Uint8Array(Buffer.concat(chunks.map((c) => new Uint8Array(c.body))))
  return { ...head, body, streamed: true }
}
