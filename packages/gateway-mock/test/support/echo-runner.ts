// A runner built on the SDK whose actors echo: HTTP requests come back described, WebSocket
// messages come back as sent. A few messages are commands, so tests can drive the actor's side.
import {
  type ActorKv,
  createMemoryHibernationStore,
  type HibernatingSocket,
  type HibernationHooks,
  type Logger,
  Runner,
  type RunnerConfig,
  type RunnerHandlers,
} from "@tunnelwire/runner"

export interface EchoRunnerOptions {
  readonly endpoint: string
  readonly version: number
  readonly runnerKey?: string
  readonly runnerName?: string
  readonly token?: string
  /** Whether sockets may hibernate (default true). */
  readonly hibernate?: boolean
  /** Where hibernating sockets' metadata is kept: runner memory (default) or the actor's KV. */
  readonly persist?: "memory" | "kv" | HibernationHooks
  readonly ackTimeoutMs?: number
  readonly shutdownTimeoutMs?: number
  readonly maxUnsavedMessages?: number
  readonly scheduleRunnerLost?: RunnerConfig["scheduleRunnerLost"]
  readonly handlers?: Partial<RunnerHandlers>
  readonly logger?: Logger
}

/**
 * WebSocket commands the actor understands (anything else is echoed):
 * `close:<code>:<reason>`, `close` (no code), `sleep` (asks to sleep).
 */
export function echoRunner(options: EchoRunnerOptions): Runner {
  const hooks: HibernationHooks =
    options.persist === "kv"
      ? kvHibernation((actorId) => runner.kv(actorId))
      : options.persist === undefined || options.persist === "memory"
        ? createMemoryHibernationStore()
        : options.persist
  const handlers: RunnerHandlers = {
    onActorStart: () => {},
    onActorStop: () => {},
    fetch: async (_actorId, request) => {
      const url = new URL(request.url)
      if (url.pathname === "/stream") return new Response(streamOf(["one ", "two ", "three"]))
      const body = await request.text()
      return new Response(`${request.method} ${url.pathname}${url.search} ${body}`, {
        headers: { "x-actor": "echo" },
      })
    },
    websocket: (actorId, ws) => {
      ws.addEventListener("message", (event) => {
        const data = event.data
        const text = typeof data === "string" ? data : new TextDecoder().decode(data)
        const close = /^close:(\d+):(.*)$/.exec(text)
        if (close !== null) ws.close(Number(close[1]), close[2])
        else if (text === "close") ws.close()
        else if (text === "sleep") runner.sleepActor(actorId)
        else ws.send(data)
      })
    },
    canHibernate: () => options.hibernate ?? true,
    ...hooks,
    ...options.handlers,
  }
  const runner: Runner = new Runner({
    endpoint: options.endpoint,
    token: options.token,
    namespace: "default",
    runnerName: options.runnerName ?? "echo",
    runnerKey: options.runnerKey,
    protocolVersion: options.version,
    ackTimeoutMs: options.ackTimeoutMs,
    maxUnsavedMessages: options.maxUnsavedMessages,
    scheduleRunnerLost: options.scheduleRunnerLost,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 2_000,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    handlers,
    logger: options.logger,
  })
  return runner
}

const KEY_PREFIX = "hibernating/"
const encode = (text: string) => new TextEncoder().encode(text)

/** Hibernation metadata in the actor's KV at the gateway: it survives a runner restart. */
export function kvHibernation(kv: (actorId: string) => ActorKv): HibernationHooks {
  return {
    loadHibernating: async (actorId) => {
      const entries = await kv(actorId).listPrefix(encode(KEY_PREFIX))
      return entries.map(
        (entry) => JSON.parse(new TextDecoder().decode(entry.value)) as HibernatingSocket,
      )
    },
    saveHibernating: (actorId, socket) =>
      kv(actorId).put([[encode(KEY_PREFIX + socket.requestId), encode(JSON.stringify(socket))]]),
    deleteHibernating: (actorId, requestId) => kv(actorId).delete([encode(KEY_PREFIX + requestId)]),
  }
}

/** A body produced a part at a time, as a slow producer would, so it streams. */
function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  let next = 0
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 5))
      if (next < parts.length) controller.enqueue(encode(parts[next++]!))
      else controller.close()
    },
  })
}
