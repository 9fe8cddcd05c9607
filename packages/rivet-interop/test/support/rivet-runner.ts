import { randomUUID } from "node:crypto"

/** Rivet's published runners under test, by npm alias, with the protocol version each speaks. */
export const PUBLISHED_RUNNERS = [
  { alias: "rivet-runner-v5", release: "2.0.33", protocolVersion: 5 },
  { alias: "rivet-runner-v7", release: "2.2.1", protocolVersion: 7 },
] as const

export type PublishedRunner = (typeof PUBLISHED_RUNNERS)[number]

/** What the harness persists for a hibernatable socket, as the runner's docs ask an app to. */
export interface SavedSocket {
  gatewayId: ArrayBuffer
  requestId: ArrayBuffer
  clientMessageIndex: number
  serverMessageIndex: number
  path: string
  headers: Record<string, string>
}

/** A close event one of the app's sockets saw. */
export interface SeenClose {
  readonly path: string
  readonly code: number
  readonly reason: string
}

// The two releases share this shape; neither ships types the test could name without importing
// one of them, so the harness types what it uses.
interface RunnerLike {
  start(): Promise<void>
  shutdown(immediate: boolean): Promise<void>
  sendHibernatableWebSocketMessageAck(g: ArrayBuffer, r: ArrayBuffer, index: number): void
  restoreHibernatingRequests(actorId: string, metas: SavedSocket[]): Promise<void>
  getServerlessInitPacket(): string | undefined
}

/** Where a serverless runner is told to connect, by the gateway's `/start` headers. */
export interface RunnerPlacement {
  readonly endpoint: string
  readonly token: string
  readonly runnerName?: string
  readonly totalSlots?: number
}

/** What the runners' socket adapters put on their events (`rivetMessageIndex` on messages). */
interface AppSocketEvent {
  readonly data: string | ArrayBuffer
  readonly rivetMessageIndex: number
  readonly code: number
  readonly reason: string
}

interface AppSocket {
  addEventListener(type: string, listener: (event: AppSocketEvent) => void): void
  send(data: string | ArrayBuffer): void
  close(code?: number, reason?: string): void
}

/**
 * An app on a published runner: echoes every WebSocket message (`close-me` makes the actor close
 * with 1000 "done" instead), answers HTTP with 201 and a header, lets sockets under `/hws` hibernate,
 * persists their metadata and acknowledges each message, and restores them on the next start.
 */
export class RivetApp {
  readonly closes: SeenClose[] = []
  /** `rivetMessageIndex` of every message a hibernatable socket received, in order. */
  readonly messageIndexes: number[] = []
  readonly started: { actorId: string; generation: number }[] = []
  readonly stopped: string[] = []
  readonly disconnects: { code: number; reason: string }[] = []
  shutdownCalled = false
  readonly #saved: Map<string, SavedSocket>
  #runner: RunnerLike | undefined
  #connected!: () => void
  readonly connected = new Promise<void>((resolve) => {
    this.#connected = resolve
  })

  /** `saved`: hibernatable sockets' metadata, shared by apps that follow one another (serverless). */
  constructor(saved = new Map<string, SavedSocket>()) {
    this.#saved = saved
  }

  async start(published: PublishedRunner, placement: RunnerPlacement): Promise<void> {
    const { endpoint, token } = placement
    const module = (await import(published.alias)) as { Runner: new (config: object) => RunnerLike }
    this.#runner = new module.Runner({
      version: 1,
      endpoint,
      token,
      namespace: "default",
      totalSlots: placement.totalSlots ?? 10,
      runnerName: placement.runnerName ?? `rivet-${published.release}`,
      // 2.0.33 takes the key from its config; 2.2.1 makes a random one per instance.
      runnerKey: randomUUID(),
      prepopulateActorNames: {},
      noAutoShutdown: true,
      onConnected: () => this.#connected(),
      onDisconnected: (code: number, reason: string) => this.disconnects.push({ code, reason }),
      onShutdown: () => {
        this.shutdownCalled = true
      },
      fetch: async (
        _runner: unknown,
        _actorId: string,
        _g: unknown,
        _r: unknown,
        request: Request,
      ) =>
        new Response(`${request.method} ${new URL(request.url).pathname} ${await request.text()}`, {
          status: 201,
          headers: { "x-rivet-app": "yes" },
        }),
      websocket: async (
        runner: RunnerLike,
        _actorId: string,
        ws: AppSocket,
        gatewayId: ArrayBuffer,
        requestId: ArrayBuffer,
        _request: Request,
        path: string,
        headers: Record<string, string>,
        isHibernatable: boolean,
      ) => this.#attach(runner, ws, gatewayId, requestId, path, headers, isHibernatable),
      hibernatableWebSocket: {
        canHibernate: (_a: string, _g: ArrayBuffer, _r: ArrayBuffer, request: Request) =>
          new URL(request.url).pathname.startsWith("/hws"),
      },
      onActorStart: async (actorId: string, generation: number) => {
        this.started.push({ actorId, generation })
        await this.#runner?.restoreHibernatingRequests(actorId, [...this.#saved.values()])
      },
      onActorStop: async (actorId: string) => {
        this.stopped.push(actorId)
      },
    })
    await this.#runner.start()
    await this.connected
  }

  /** What a serverless endpoint streams once the runner is accepted (the runner's own method). */
  serverlessInitPacket(): string | undefined {
    return this.#runner?.getServerlessInitPacket()
  }

  async shutdown(): Promise<void> {
    await this.#runner?.shutdown(false)
  }

  #attach(
    runner: RunnerLike,
    ws: AppSocket,
    gatewayId: ArrayBuffer,
    requestId: ArrayBuffer,
    path: string,
    headers: Record<string, string>,
    isHibernatable: boolean,
  ): void {
    const id = Buffer.from(requestId).toString("hex")
    if (isHibernatable && !this.#saved.has(id)) {
      this.#saved.set(id, {
        gatewayId,
        requestId,
        clientMessageIndex: 0,
        serverMessageIndex: 0,
        path,
        headers,
      })
    }
    ws.addEventListener("message", (event) => {
      const saved = this.#saved.get(id)
      if (saved !== undefined) {
        this.messageIndexes.push(event.rivetMessageIndex)
        // The runner leaves acknowledging to the app (`TS/tunnel.ts:1067-1113`).
        saved.serverMessageIndex = event.rivetMessageIndex
        runner.sendHibernatableWebSocketMessageAck(gatewayId, requestId, event.rivetMessageIndex)
      }
      if (event.data === "close-me") ws.close(1000, "done")
      else ws.send(event.data)
    })
    ws.addEventListener("close", (event) => {
      this.#saved.delete(id)
      this.closes.push({ path, code: event.code, reason: event.reason })
    })
  }
}
