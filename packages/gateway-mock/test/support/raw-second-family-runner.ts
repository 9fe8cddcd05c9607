// A v4–v7 runner written frame by frame against the versioned codec, for tests of the gateway's
// second-family edge. It records every frame (decoded into the v7 shape, and the raw bytes) and,
// unless told otherwise, serves like a plain runner: it starts actors, echoes WebSocket messages
// and answers HTTP requests.
import {
  decodeToClient,
  encodeToServer,
  idKey,
  latest,
  runnerConnectUrl,
  runnerSubprotocols,
} from "@tunnelwire/protocol"
import { WebSocket } from "ws"

export interface SecondFamilyRunnerOptions {
  readonly url: string
  readonly version: 4 | 5 | 6 | 7
  readonly runnerKey?: string
  readonly name?: string
  readonly token?: string
  /** Answer ToClientPing with ToServerPong (default true). */
  readonly pong?: boolean
  /** Start actors, echo WebSockets and answer HTTP (default true). */
  readonly serve?: boolean
  /** Offer hibernation on WebSocket open (default false). */
  readonly canHibernate?: boolean
}

export interface ReceivedFrame {
  readonly message: latest.ToClient
  readonly wire: Uint8Array
}

const text = (data: ArrayBuffer) => Buffer.from(data).toString("utf8")

export class SecondFamilyRunner {
  readonly options: SecondFamilyRunnerOptions
  readonly received: ReceivedFrame[] = []
  /** Event index per actor (from 0 per generation). */
  readonly #eventIndex = new Map<string, { generation: number; next: bigint }>()
  readonly #requestActor = new Map<string, string>()
  /** Message indexes of the gateway's WebSocket messages, per request (hex of the 4-byte id). */
  readonly messageIndexes = new Map<string, number[]>()
  closed: { code: number; reason: string } | null = null
  ws!: WebSocket
  #waiters: (() => void)[] = []

  constructor(options: SecondFamilyRunnerOptions) {
    this.options = options
  }

  get runnerKey(): string {
    return this.options.runnerKey ?? "raw-v4plus"
  }

  /** Connects and sends ToServerInit; resolves on ToClientInit. */
  async start(): Promise<this> {
    const url = runnerConnectUrl(this.options.url, {
      protocolVersion: this.options.version,
      namespace: "default",
      runnerKey: this.runnerKey,
    })
    this.closed = null
    this.ws = new WebSocket(url, runnerSubprotocols(this.options.token))
    this.ws.binaryType = "arraybuffer"
    this.ws.on("message", (data: ArrayBuffer) => this.#onFrame(new Uint8Array(data)))
    this.ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() }
      this.#notify()
    })
    await new Promise<void>((resolve, reject) => {
      this.ws.once("open", () => resolve())
      this.ws.once("error", reject)
    })
    const from = this.received.length
    this.send({
      tag: "ToServerInit",
      val: {
        name: this.options.name ?? "raw",
        version: 1,
        totalSlots: 10,
        prepopulateActorNames: null,
        metadata: null,
      },
    })
    await this.next((m) => m.tag === "ToClientInit", from)
    return this
  }

  send(message: latest.ToServer): void {
    this.ws.send(encodeToServer(message, { version: this.options.version }))
  }

  /** The first message from index `from` on that matches, waiting for it. */
  async next<T extends latest.ToClient>(
    match: (message: latest.ToClient) => message is T,
    from?: number,
  ): Promise<T>
  async next(match: (message: latest.ToClient) => boolean, from?: number): Promise<latest.ToClient>
  async next(match: (message: latest.ToClient) => boolean, from = 0): Promise<latest.ToClient> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const found = this.received.slice(from).find((frame) => match(frame.message))
      if (found !== undefined) return found.message
      if (Date.now() > deadline) throw new Error("no matching frame from the gateway")
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  messages<T extends latest.ToClient["tag"]>(tag: T): Extract<latest.ToClient, { tag: T }>[] {
    return this.received
      .map((frame) => frame.message)
      .filter((m): m is Extract<latest.ToClient, { tag: T }> => m.tag === tag)
  }

  /** Sends the actor's next event, numbered per actor generation as Rivet's runner does. */
  event(actorId: string, generation: number, inner: latest.Event, index?: bigint): void {
    let counter = this.#eventIndex.get(actorId)
    if (counter === undefined || counter.generation !== generation) {
      counter = { generation, next: 0n }
      this.#eventIndex.set(actorId, counter)
    }
    const eventIndex = index ?? counter.next++
    this.send({
      tag: "ToServerEvents",
      val: [{ checkpoint: { actorId, generation, index: eventIndex }, inner }],
    })
  }

  running(actorId: string, generation: number): void {
    this.event(actorId, generation, {
      tag: "EventActorStateUpdate",
      val: { state: { tag: "ActorStateRunning", val: null } },
    })
  }

  stopped(actorId: string, generation: number): void {
    this.event(actorId, generation, {
      tag: "EventActorStateUpdate",
      val: {
        state: { tag: "ActorStateStopped", val: { code: latest.StopCode.Ok, message: null } },
      },
    })
  }

  kv(
    actorId: string,
    requestId: number,
    data: latest.KvRequestData,
  ): Promise<latest.KvResponseData> {
    const from = this.received.length
    this.send({ tag: "ToServerKvRequest", val: { actorId, requestId, data } })
    return this.next(
      (m) => m.tag === "ToClientKvResponse" && m.val.requestId === requestId,
      from,
    ).then((m) => (m as Extract<latest.ToClient, { tag: "ToClientKvResponse" }>).val.data)
  }

  /** Drops the connection without a close handshake, as a crash or a network cut would. */
  kill(): void {
    this.ws.terminate()
  }

  #onFrame(wire: Uint8Array): void {
    const message = decodeToClient(wire, { version: this.options.version })
    this.received.push({ message, wire })
    if (message.tag === "ToClientPing" && this.options.pong !== false) {
      this.send({ tag: "ToServerPong", val: { ts: message.val.ts } })
    }
    if (this.options.serve !== false) this.#serve(message)
    this.#notify()
  }

  #serve(message: latest.ToClient): void {
    if (message.tag === "ToClientCommands") {
      for (const { checkpoint, inner } of message.val) {
        if (inner.tag === "CommandStartActor")
          this.running(checkpoint.actorId, checkpoint.generation)
        else this.stopped(checkpoint.actorId, checkpoint.generation)
      }
    }
    if (message.tag !== "ToClientTunnelMessage") return
    const { messageId, messageKind: kind } = message.val
    const key = idKey(messageId.requestId)
    const reply = (messageKind: latest.ToServerTunnelMessageKind) =>
      this.send({
        tag: "ToServerTunnelMessage",
        val: { messageId: { ...messageId, messageIndex: 0 }, messageKind },
      })
    switch (kind.tag) {
      case "ToClientWebSocketOpen":
        this.#requestActor.set(key, kind.val.actorId)
        reply({
          tag: "ToServerWebSocketOpen",
          val: { canHibernate: this.options.canHibernate === true },
        })
        return
      case "ToClientWebSocketMessage": {
        const indexes = this.messageIndexes.get(key) ?? []
        indexes.push(messageId.messageIndex)
        this.messageIndexes.set(key, indexes)
        reply({ tag: "ToServerWebSocketMessage", val: kind.val })
        if (this.options.canHibernate === true)
          reply({ tag: "ToServerWebSocketMessageAck", val: { index: messageId.messageIndex } })
        return
      }
      case "ToClientRequestStart":
        reply({
          tag: "ToServerResponseStart",
          val: {
            status: 200,
            headers: new Map([["x-runner", `v${this.options.version}`]]),
            body: new TextEncoder().encode(
              `${kind.val.method} ${kind.val.path} ${kind.val.body === null ? "" : text(kind.val.body)}`,
            ).buffer as ArrayBuffer,
            stream: false,
          },
        })
        return
      default:
        return
    }
  }

  #notify(): void {
    for (const waiter of this.#waiters.splice(0)) waiter()
  }
}
