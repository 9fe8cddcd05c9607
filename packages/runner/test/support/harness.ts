import { capabilities, PROTOCOL_VERSIONS } from "@tunnelwire/protocol"
import type { latest } from "@tunnelwire/protocol/pinned/v3"
import {
  type ActorConfig,
  Runner,
  type RunnerConfig,
  type RunnerHandlers,
  type TunnelWebSocket,
} from "../../src/index.js"
import type { FakeGateway } from "./fake-gateway.js"

/** Every version the runner speaks. */
export const versions = [...PROTOCOL_VERSIONS]
/** v1–v3: every tunnel message acknowledged (`TunnelAck`), runner pings, `ToClientClose`. */
export const ackedVersions = versions.filter((v) => capabilities(v).tunnelAck)
/** v4+: checkpoints per actor generation, gateway pings. */
export const checkpointedVersions = versions.filter((v) => capabilities(v).checkpoints)

/** What the test actor saw, in order. */
export interface ActorLog {
  readonly starts: Array<{ actorId: string; generation: number; config: ActorConfig }>
  readonly stops: Array<{ actorId: string; generation: number }>
  readonly sockets: Array<{ actorId: string; ws: TunnelWebSocket; restored: boolean }>
  /** Socket events as text: `open`, `message:<text>`, `close:<code>:<reason>`, `error`. */
  readonly socketEvents: Map<TunnelWebSocket, string[]>
}

export type TestRunnerConfig = Partial<Omit<RunnerConfig, "handlers">> & {
  handlers?: Partial<RunnerHandlers>
}

/** A runner connected to `gateway` whose actors record what happens to them. */
export function testRunner(
  gateway: FakeGateway,
  version: number,
  config: TestRunnerConfig = {},
): { runner: Runner; log: ActorLog } {
  const log: ActorLog = { starts: [], stops: [], sockets: [], socketEvents: new Map() }
  const handlers: RunnerHandlers = {
    onActorStart: (actorId, generation, actorConfig) => {
      log.starts.push({ actorId, generation, config: actorConfig })
    },
    onActorStop: (actorId, generation) => {
      log.stops.push({ actorId, generation })
    },
    fetch: async (_actorId, request) =>
      new Response(`${request.method} ${new URL(request.url).pathname}`),
    websocket: (actorId, ws, _request, info) => {
      log.sockets.push({ actorId, ws, restored: info.restored })
      recordSocket(log, ws)
    },
    ...config.handlers,
  }
  const runner = new Runner({
    endpoint: gateway.url,
    namespace: "test",
    runnerName: "test-runner",
    protocolVersion: version,
    reconnect: { initialDelayMs: 5, maxDelayMs: 40 },
    shutdownTimeoutMs: 2_000,
    random: seededRandom(1),
    ...config,
    handlers,
  })
  return { runner, log }
}

/** Records a socket's events into `log.socketEvents`. */
export function recordSocket(log: ActorLog, ws: TunnelWebSocket): string[] {
  const events: string[] = []
  log.socketEvents.set(ws, events)
  ws.addEventListener("open", () => events.push("open"))
  ws.addEventListener("message", (event) => {
    const data = event.data
    events.push(`message:${typeof data === "string" ? data : `<${data.byteLength}B>`}`)
  })
  ws.addEventListener("close", (event) => events.push(`close:${event.code}:${event.reason}`))
  ws.addEventListener("error", () => events.push("error"))
  return events
}

/** Mulberry32: a small seeded generator, so every "random" run is the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A promise with its resolve function, for hooks a test releases by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** A tunnel message kind as one line, for asserting exactly what went on the wire. */
export function wire(kind: latest.ToServerTunnelMessageKind): string {
  switch (kind.tag) {
    case "TunnelAck":
      return "TunnelAck"
    case "ToServerWebSocketOpen":
      return `Open canHibernate=${kind.val.canHibernate}`
    case "ToServerWebSocketMessage":
      return `Message ${kind.val.binary ? `<${kind.val.data.byteLength}B>` : text(kind.val.data)}`
    case "ToServerWebSocketMessageAck":
      return `MessageAck ${kind.val.index}`
    case "ToServerWebSocketClose":
      return closeLine(kind.val)
    case "ToServerResponseStart":
      return `ResponseStart ${kind.val.status} stream=${kind.val.stream}`
    case "ToServerResponseChunk":
      return `ResponseChunk ${kind.val.body.byteLength}B finish=${kind.val.finish}`
    case "ToServerResponseAbort":
      return "ResponseAbort"
  }
}

/** The expected wire lines on `version`: v4+ has no `TunnelAck`, so those lines drop out. */
export function onWire(version: number, lines: readonly string[]): string[] {
  return capabilities(version).tunnelAck ? [...lines] : lines.filter((line) => line !== "TunnelAck")
}

/** The line `wire` prints for a close with a rule's code and reason. */
export function closeLine(close: {
  code: number | null
  reason: string | null
  hibernate?: boolean
}): string {
  return `Close ${close.code} ${close.reason} hibernate=${close.hibernate ?? false}`
}

export function text(data: ArrayBuffer): string {
  return new TextDecoder().decode(data)
}

/** Waits for pending microtasks and one macrotask turn (hooks that resolve "now"). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
