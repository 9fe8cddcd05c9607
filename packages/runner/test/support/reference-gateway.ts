// A stand-in for Rivet's engine at protocol v7, built only from Rivet's published codec
// (`@rivetkit/engine-runner-protocol@2.2.1`, aliased `rivet-protocol-v7`) and the behaviour written
// down in `shared/reference/v4-v7.md`: none of tunnelwire's codecs or semantics, so a runner bug
// shared with our own gateway mock cannot hide here. It records every runner frame as Rivet's
// codec decodes it and lets a test make the engine's moves one at a time.
import { createServer, type Server } from "node:http"
import * as rivet from "rivet-protocol-v7"
import { type WebSocket, WebSocketServer } from "ws"

/** The v7 metadata an engine with default config sends to a non-serverless runner (§3). */
export const ENGINE_METADATA: rivet.ProtocolMetadata = {
  runnerLostThreshold: 15_000n,
  actorStopThreshold: 30_000n,
  serverlessDrainGracePeriod: null,
}

export interface RunnerConnection {
  readonly url: URL
  readonly protocols: readonly string[]
}

/** One tunneled request as the engine's gateway numbers it (§6): its own counter from 0. */
export class GatewayRequest {
  readonly gatewayId: ArrayBuffer
  readonly requestId: ArrayBuffer
  nextIndex = 0

  constructor(gatewayId: ArrayBuffer, requestId: ArrayBuffer) {
    this.gatewayId = gatewayId
    this.requestId = requestId
  }

  /** Whether a runner message id belongs to this request (the gateway routes by ids alone). */
  owns(messageId: rivet.MessageId): boolean {
    return (
      sameBytes(messageId.gatewayId, this.gatewayId) &&
      sameBytes(messageId.requestId, this.requestId)
    )
  }
}

export class ReferenceGateway {
  /** Every runner frame, decoded by Rivet's codec, in arrival order. */
  readonly received: rivet.ToServer[] = []
  readonly connections: RunnerConnection[] = []
  closes: Array<{ code: number; reason: string }> = []
  readonly #server: Server
  readonly #wss: WebSocketServer
  #socket: WebSocket | null = null
  #waiters: Array<() => boolean> = []
  /** One gateway process: its 4-byte id is on every request it opens. */
  readonly #gatewayId = new Uint8Array([0x67, 0x77, 0x00, 0x01]).buffer
  #nextRequest = 1

  private constructor(server: Server) {
    this.#server = server
    this.#wss = new WebSocketServer({
      server,
      path: "/runners/connect",
      handleProtocols: (protocols) => (protocols.has("rivet") ? "rivet" : false),
    })
    this.#wss.on("connection", (socket, request) => {
      this.connections.push({
        url: new URL(request.url ?? "/", "http://127.0.0.1"),
        protocols: String(request.headers["sec-websocket-protocol"] ?? "").split(/\s*,\s*/),
      })
      this.#socket = socket
      socket.on("message", (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return
        this.received.push(
          rivet.decodeToServer(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
        )
        this.#wake()
      })
      socket.on("close", (code, reason) => {
        this.closes.push({ code, reason: reason.toString("utf8") })
        if (this.#socket === socket) this.#socket = null
        this.#wake()
      })
    })
  }

  static async start(): Promise<ReferenceGateway> {
    const server = createServer((_, response) => response.writeHead(404).end())
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    return new ReferenceGateway(server)
  }

  get url(): string {
    const address = this.#server.address()
    if (address === null || typeof address === "string") throw new Error("not listening")
    return `http://127.0.0.1:${address.port}`
  }

  send(message: rivet.ToClient): void {
    if (this.#socket === null) throw new Error("no runner connected")
    this.#socket.send(rivet.encodeToClient(message))
  }

  /** A new request of this gateway (request ids count up; the gateway id stays). */
  newRequest(): GatewayRequest {
    const requestId = new Uint8Array(4)
    new DataView(requestId.buffer).setUint32(0, this.#nextRequest++)
    return new GatewayRequest(this.#gatewayId, requestId.buffer)
  }

  /** Sends a tunnel message of `request` with the request's next index. */
  tunnel(request: GatewayRequest, messageKind: rivet.ToClientTunnelMessageKind): number {
    const messageIndex = request.nextIndex
    request.nextIndex = (request.nextIndex + 1) % 0x1_0000
    this.send({
      tag: "ToClientTunnelMessage",
      val: {
        messageId: {
          gatewayId: request.gatewayId,
          requestId: request.requestId,
          messageIndex,
        },
        messageKind,
      },
    })
    return messageIndex
  }

  /** The runner's tunnel messages for `request`, from frame `since` on. */
  tunnelFrom(request: GatewayRequest, since = 0): rivet.ToServerTunnelMessage[] {
    return this.received
      .slice(since)
      .flatMap((message) =>
        message.tag === "ToServerTunnelMessage" && request.owns(message.val.messageId)
          ? [message.val]
          : [],
      )
  }

  /** Resolves once `probe` returns something other than undefined/false (checked per frame). */
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

  /** The first runner frame from index `since` on that matches. */
  next<T extends rivet.ToServer["tag"]>(
    tag: T,
    since = 0,
    match: (message: Extract<rivet.ToServer, { tag: T }>) => boolean = () => true,
  ): Promise<Extract<rivet.ToServer, { tag: T }>> {
    return this.waitFor(() =>
      this.received
        .slice(since)
        .find(
          (message): message is Extract<rivet.ToServer, { tag: T }> =>
            message.tag === tag && match(message as Extract<rivet.ToServer, { tag: T }>),
        ),
    )
  }

  /** Closes the runner's connection with a close frame. */
  closeWith(code: number, reason: string): void {
    this.#socket?.close(code, reason)
  }

  /** Drops the runner's connection as a network failure would (no close frame). */
  drop(): void {
    this.#socket?.terminate()
  }

  async close(): Promise<void> {
    this.#socket?.terminate()
    this.#wss.close()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #wake(): void {
    this.#waiters = this.#waiters.filter((check) => !check())
  }
}

export function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  if (a.byteLength !== b.byteLength) return false
  const x = new Uint8Array(a)
  const y = new Uint8Array(b)
  return x.every((byte, i) => byte === y[i])
}

export function text(data: ArrayBuffer): string {
  return new TextDecoder().decode(data)
}

export function bytes(value: string): ArrayBuffer {
  return new TextEncoder().encode(value).buffer as ArrayBuffer
}
