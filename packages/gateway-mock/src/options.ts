import { SECOND_FAMILY_TIMING } from "@tunnelwire/protocol"
import type { ServerlessRunnerConfig } from "./serverless/serverless-config.js"

/** Everything `startGateway` can be told; every field has a default suited to local testing. */
export interface GatewayOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number
  readonly host?: string
  /** When set, runners must offer it as `rivet_token.<token>` and admin calls as a bearer token. */
  readonly token?: string
  /** How long a new runner connection may take to send ToServerInit. */
  readonly initTimeoutMs?: number
  /** How long the runner has to acknowledge a tunnel message before its request is given up. */
  readonly ackTimeoutMs?: number
  /** How often expired acknowledgements are looked for. */
  readonly gcIntervalMs?: number
  /** How long a request waits for its actor to start (and for a runner to host it). */
  readonly actorStartTimeoutMs?: number
  /** How long the actor has to accept a WebSocket or start an HTTP response. */
  readonly responseTimeoutMs?: number
  /** Bounds on messages a hibernatable socket holds: buffered while asleep, or sent and unacked. */
  readonly maxPendingMessages?: number
  readonly maxPendingBytes?: number
  /**
   * Backpressure toward a client (WebSocket or streamed HTTP response): while more than this
   * waits to be written to the client, the runner's messages for it are not acknowledged.
   */
  readonly clientHighWaterBytes?: number
  /** A client with more than this waiting to be written to it is closed as too slow. */
  readonly maxClientBufferedBytes?: number
  /** A client that takes no bytes for this long while its runner waits on it is closed as too slow. */
  readonly clientStallTimeoutMs?: number
  /** HTTP request bodies up to this size with a known length are sent whole; larger ones stream. */
  readonly maxBufferedBodyBytes?: number
  /** Told to runners in ToClientInit. */
  readonly runnerLostThresholdMs?: number
  /** v6+: told to runners in ToClientInit (`actorStopThreshold`). */
  readonly actorStopThresholdMs?: number
  /** v4+: how often the gateway sends `ToClientPing` (v1–v3 runners ping the gateway instead). */
  readonly pingIntervalMs?: number
  /** v4+: a runner whose last `ToServerPong` is older than this is closed. */
  readonly pingTimeoutMs?: number
  /**
   * The largest message a client's WebSocket (or a tap subscriber) may send; a larger one closes
   * that socket with 1009. Default 1 MiB, the same as `maxPendingBytes`: a bigger message could
   * not be held for a hibernating actor anyway.
   */
  readonly maxClientMessageBytes?: number
  /**
   * The largest frame a runner may send; a larger one closes that runner's connection with 1009.
   * A runner frame carries what its actors send to clients and whole HTTP responses, all behind
   * one connection, so it must exceed `maxClientMessageBytes` (an echoed client message comes
   * back wrapped in a tunnel message). Default 32 MiB.
   */
  readonly maxRunnerFrameBytes?: number
  /**
   * Host names (no port) the admin API and the tap accept besides the loopback ones (`localhost`,
   * `127.0.0.0/8`, `[::1]`), which are always accepted; `["*"]` accepts any. Other `Host` headers
   * get 403: a defence against DNS rebinding. Default none.
   */
  readonly allowedHosts?: readonly string[]
  /** Tap events kept for subscribers that join late (the `/tap?history=1` endpoint). */
  readonly tapHistory?: number
  /**
   * Serverless runners: the gateway asks each endpoint to start a runner when actors need one, and
   * drains it when its request's lifespan is over. More can be added with the admin API.
   */
  readonly serverless?: readonly ServerlessRunnerConfig[]
  /** Deliberate misbehaviour, to test how a runner copes with a faulty gateway. */
  readonly faults?: GatewayFaults
}

export interface GatewayFaults {
  /** Never answer a runner's tunnel message with TunnelAck (the runner's ack timeout fires). */
  readonly withholdTunnelAcks?: boolean
  /** Never send the client message with this index (the runner sees an index skip). */
  readonly skipMessageIndex?: number
}

export type ResolvedOptions = Required<Omit<GatewayOptions, "token">> & {
  readonly token: string | undefined
}

/** Room for a tunnel message's own fields around the payload it carries. */
const TUNNEL_OVERHEAD_BYTES = 1024

export function resolveOptions(options: GatewayOptions): ResolvedOptions {
  const maxClientMessageBytes = options.maxClientMessageBytes ?? 1024 * 1024
  const maxRunnerFrameBytes = options.maxRunnerFrameBytes ?? 32 * 1024 * 1024
  if (maxRunnerFrameBytes < maxClientMessageBytes + TUNNEL_OVERHEAD_BYTES) {
    throw new RangeError(
      `maxRunnerFrameBytes (${maxRunnerFrameBytes}) must exceed maxClientMessageBytes ` +
        `(${maxClientMessageBytes}) by at least ${TUNNEL_OVERHEAD_BYTES} bytes`,
    )
  }
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    token: options.token,
    initTimeoutMs: options.initTimeoutMs ?? 5_000,
    ackTimeoutMs: options.ackTimeoutMs ?? 30_000,
    gcIntervalMs: options.gcIntervalMs ?? 1_000,
    actorStartTimeoutMs: options.actorStartTimeoutMs ?? 10_000,
    responseTimeoutMs: options.responseTimeoutMs ?? 30_000,
    maxPendingMessages: options.maxPendingMessages ?? 1_024,
    maxPendingBytes: options.maxPendingBytes ?? 1024 * 1024,
    clientHighWaterBytes: options.clientHighWaterBytes ?? 1024 * 1024,
    maxClientBufferedBytes: options.maxClientBufferedBytes ?? 32 * 1024 * 1024,
    clientStallTimeoutMs: options.clientStallTimeoutMs ?? 15_000,
    maxBufferedBodyBytes: options.maxBufferedBodyBytes ?? 64 * 1024,
    runnerLostThresholdMs: options.runnerLostThresholdMs ?? 5_000,
    actorStopThresholdMs: options.actorStopThresholdMs ?? SECOND_FAMILY_TIMING.actorStopThresholdMs,
    pingIntervalMs: options.pingIntervalMs ?? SECOND_FAMILY_TIMING.pingIntervalMs,
    pingTimeoutMs: options.pingTimeoutMs ?? SECOND_FAMILY_TIMING.pingTimeoutMs,
    maxClientMessageBytes,
    maxRunnerFrameBytes,
    allowedHosts: options.allowedHosts ?? [],
    tapHistory: options.tapHistory ?? 0,
    serverless: options.serverless ?? [],
    faults: options.faults ?? {},
  }
}
