import { LATEST_VERSION } from "@tunnelwire/protocol"
import type { BackoffOptions } from "./backoff.js"
import { type Logger, silentLogger } from "./logger.js"
import type { HibernatingSocket } from "./tunnel/hibernation.js"
import type { TunnelWebSocket } from "./tunnel/websocket.js"

export interface ActorConfig {
  readonly name: string
  readonly key: string | null
  /** Creation time, milliseconds since the epoch. */
  readonly createTs: number
  readonly input: Uint8Array | null
}

export interface WebSocketInfo {
  /** The socket was hibernating and is handed back open: no open event follows. */
  readonly restored: boolean
}

type MaybePromise<T> = T | Promise<T>

/**
 * Why an actor stops: `gateway`, the gateway's `CommandStopActor`; the others are forced, with no
 * command: `runnerLost` (disconnected past the runner lost threshold), `runnerReplaced` (the gateway
 * accepted the runner again under a new runner id) and `shutdown` (`shutdown()` stopping what the
 * gateway did not stop in time).
 */
export type ActorStopReason = "gateway" | "runnerLost" | "runnerReplaced" | "shutdown"

export interface ActorStopInfo {
  /**
   * The gateway did not ask for this stop. After `runnerLost` and `runnerReplaced` the gateway has
   * rescheduled the actor elsewhere: hibernatable sockets stay with the gateway for its next start,
   * and KV requests are refused, so state worth keeping must already be saved.
   */
  readonly forced: boolean
  readonly reason: ActorStopReason
}

export interface RunnerHandlers {
  /** The actor is reported running only once this resolves; a rejection reports it stopped with an error. */
  onActorStart(actorId: string, generation: number, config: ActorConfig): MaybePromise<void>
  /** The actor stops; `info` says whether the gateway asked for it or the runner forces it. */
  onActorStop(actorId: string, generation: number, info: ActorStopInfo): MaybePromise<void>
  /** HTTP requests to the actor; request and response bodies stream. Default: 404. */
  fetch?(actorId: string, request: Request): MaybePromise<Response>
  /** A WebSocket to the actor. A fresh socket opens (fires `open`) once this returns; a throw refuses it. */
  websocket?(
    actorId: string,
    ws: TunnelWebSocket,
    request: Request,
    info: WebSocketInfo,
  ): MaybePromise<void>
  /** Whether this socket may hibernate (v2+). Default: no socket hibernates. */
  canHibernate?(actorId: string, request: Request): boolean
  /** The hibernatable sockets the actor kept (see `HibernatingSocket`). */
  loadHibernating?(actorId: string): MaybePromise<readonly HibernatingSocket[]>
  /** Keep this socket's metadata; the messages it covers are acknowledged once this resolves. */
  saveHibernating?(actorId: string, socket: HibernatingSocket): MaybePromise<void>
  /** The socket closed for good: forget its metadata. */
  deleteHibernating?(actorId: string, requestId: string): MaybePromise<void>
}

export interface RunnerConfig {
  /** Gateway base URL, such as `http://127.0.0.1:6420` (`ws`/`wss` work too). */
  readonly endpoint: string
  /** Sent as the subprotocol `rivet_token.<token>`. */
  readonly token?: string
  readonly namespace: string
  /** `ToServerInit.name`. */
  readonly runnerName: string
  /** Identifies this runner across reconnects. Default: random. */
  readonly runnerKey?: string
  /** Protocol version spoken on the wire. Default: the latest. */
  readonly protocolVersion?: number
  /** The runner application's version (`ToServerInit.version`). Default 1. */
  readonly version?: number
  /** How many actors this runner hosts at most. Default 100. */
  readonly totalSlots?: number
  /** Sent as JSON in `ToServerInit.metadata`. */
  readonly metadata?: unknown
  /** Actor names announced up front, each with JSON metadata. */
  readonly actorNames?: Readonly<Record<string, unknown>>
  readonly handlers: RunnerHandlers
  /** A pino-compatible logger. Default: silent. */
  readonly logger?: Logger
  readonly reconnect?: BackoffOptions
  /** Source of randomness for reconnect jitter. Default `Math.random`. */
  readonly random?: () => number
  /**
   * Runs a reconnect attempt after `delayMs`; returns a function that cancels it. Default
   * `setTimeout`. Tests pass their own to see, and skip, the delays the runner waits.
   */
  readonly scheduleReconnect?: (attempt: () => void, delayMs: number) => () => void
  /**
   * Runs the runner lost check after `delayMs` (the gateway's `runnerLostThreshold`); returns a
   * function that cancels it. Default `setTimeout`. Tests pass their own to decide when it fires.
   */
  readonly scheduleRunnerLost?: (fire: () => void, delayMs: number) => () => void
  /** How long a tunnel message may wait for the gateway's `TunnelAck`. Default 30 s. */
  readonly ackTimeoutMs?: number
  /** How long a KV request may wait for its response. Default 30 s. */
  readonly kvTimeoutMs?: number
  /** Interval of `ToServerPing`. Default 3 s. */
  readonly pingIntervalMs?: number
  /** `shutdown()` waits this long for the gateway to stop actors, then as long for the rest. Default 30 s. */
  readonly shutdownTimeoutMs?: number
  /** Payload bytes of tunnel messages held unacknowledged (sent or waiting for a connection). Default 16 MiB. */
  readonly maxBufferedBytes?: number
  /**
   * Messages a hibernatable socket delivers to its actor before the save that covers them
   * resolved: at most this many are delivered again after a crash. Default 1.
   */
  readonly maxUnsavedMessages?: number
}

export type ResolvedConfig = Required<
  Omit<RunnerConfig, "token" | "metadata" | "actorNames" | "reconnect" | "scheduleReconnect">
> &
  Pick<RunnerConfig, "token" | "metadata" | "actorNames" | "scheduleReconnect"> & {
    readonly reconnect: BackoffOptions
  }

export function resolveConfig(config: RunnerConfig): ResolvedConfig {
  return {
    ...config,
    runnerKey: config.runnerKey ?? crypto.randomUUID(),
    protocolVersion: config.protocolVersion ?? LATEST_VERSION,
    version: config.version ?? 1,
    totalSlots: config.totalSlots ?? 100,
    logger: config.logger ?? silentLogger,
    reconnect: config.reconnect ?? {},
    random: config.random ?? Math.random,
    scheduleRunnerLost: config.scheduleRunnerLost ?? scheduleWithTimeout,
    ackTimeoutMs: config.ackTimeoutMs ?? 30_000,
    kvTimeoutMs: config.kvTimeoutMs ?? 30_000,
    pingIntervalMs: config.pingIntervalMs ?? 3_000,
    shutdownTimeoutMs: config.shutdownTimeoutMs ?? 30_000,
    maxBufferedBytes: config.maxBufferedBytes ?? 16 * 1024 * 1024,
    maxUnsavedMessages: atLeastOne("maxUnsavedMessages", config.maxUnsavedMessages ?? 1),
  }
}

function scheduleWithTimeout(fire: () => void, delayMs: number): () => void {
  const timer = setTimeout(fire, delayMs)
  return () => clearTimeout(timer)
}

function atLeastOne(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${option} must be an integer of at least 1, got ${value}`)
  }
  return value
}
