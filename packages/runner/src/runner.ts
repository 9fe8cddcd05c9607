import {
  CloseCode,
  type latest,
  RUNNER_SHUTDOWN_REASON,
  RunnerConnectionClose,
  runnerConnectUrl,
  runnerSubprotocols,
  withoutRayId,
} from "@tunnelwire/protocol/pinned/v3"
import { ActorHost } from "./actors.js"
import { type ResolvedConfig, type RunnerConfig, resolveConfig } from "./config.js"
import { RunnerConnection } from "./connection.js"
import { EventLog } from "./event-log.js"
import { FrameCodec } from "./frames.js"
import { type ActorKv, KvClient, KvError } from "./kv.js"
import { type Logger, logFrame } from "./logger.js"
import { Tunnel } from "./tunnel/tunnel.js"

type Phase = "idle" | "starting" | "running" | "stopping" | "stopped"

/**
 * Hosts actors behind a gateway: one WebSocket to `/runners/connect`, kept open with reconnects,
 * over which the gateway starts and stops actors and tunnels HTTP requests and WebSockets to them.
 */
export class Runner {
  readonly #config: ResolvedConfig
  readonly #logger: Logger
  readonly #codec: FrameCodec
  readonly #connection: RunnerConnection
  readonly #events = new EventLog()
  readonly #kv: KvClient
  readonly #tunnel: Tunnel
  readonly #actors: ActorHost
  #phase: Phase = "idle"
  /** The connection is open and the gateway answered `ToServerInit`. */
  #ready = false
  #runnerId: string | null = null
  #lastCommandIdx: bigint | null = null
  #timers: NodeJS.Timeout[] = []
  #started: Promise<void> | null = null
  #settleStart: { resolve: () => void; reject: (error: Error) => void } | null = null
  #shutdown: Promise<void> | null = null

  constructor(config: RunnerConfig) {
    this.#config = resolveConfig(config)
    const { logger, handlers } = this.#config
    this.#logger = logger
    this.#codec = new FrameCodec(this.#config.protocolVersion)
    this.#connection = new RunnerConnection({
      url: runnerConnectUrl(this.#config.endpoint, {
        protocolVersion: this.#config.protocolVersion,
        namespace: this.#config.namespace,
        runnerKey: this.#config.runnerKey,
      }),
      protocols: runnerSubprotocols(this.#config.token),
      backoff: this.#config.reconnect,
      random: this.#config.random,
      schedule: this.#config.scheduleReconnect,
      logger,
      handlers: {
        opened: () => this.#introduce(),
        frame: (bytes) => this.#receive(bytes),
        lost: (code, reason) => this.#lost(code, reason),
      },
    })
    this.#kv = new KvClient({
      timeoutMs: this.#config.kvTimeoutMs,
      send: (request) => this.#sendControl({ tag: "ToServerKvRequest", val: request }),
    })
    this.#tunnel = new Tunnel({
      codec: this.#codec,
      handlers,
      logger,
      actors: {
        phase: (id) => this.#actors.phase(id),
        defer: (id, t) => this.#actors.defer(id, t),
      },
      maxBufferedBytes: this.#config.maxBufferedBytes,
      maxUnsavedMessages: this.#config.maxUnsavedMessages,
      ackTimeoutMs: this.#config.ackTimeoutMs,
      transmit: (frame) => this.#ready && this.#connection.send(frame),
      reply: (frame) => this.#connection.send(frame),
    })
    this.#actors = new ActorHost({
      handlers,
      logger,
      tunnel: this.#tunnel,
      emit: (event) => this.#emit(event),
    })
  }

  /** The gateway's id for this runner, once connected. */
  get runnerId(): string | null {
    return this.#runnerId
  }

  get runnerKey(): string {
    return this.#config.runnerKey
  }

  get protocolVersion(): number {
    return this.#config.protocolVersion
  }

  /** Connects; resolves once the gateway accepted the runner (`ToClientInit`). */
  start(): Promise<void> {
    if (this.#started !== null) return this.#started
    if (this.#phase !== "idle") return Promise.reject(new Error("the runner was shut down"))
    this.#phase = "starting"
    this.#started = new Promise((resolve, reject) => {
      this.#settleStart = { resolve, reject }
    })
    this.#connection.connect()
    return this.#started
  }

  /**
   * Graceful shutdown: tells the gateway (`ToServerStopping`) and waits up to `shutdownTimeoutMs`
   * for it to stop the actors (when disconnected there is no one to tell or wait for), stops the
   * rest itself (waiting as long again), closes what is still open with `RunnerClose.tunnelShutdown`,
   * and closes the connection with the shutdown reason.
   * Leaves no timer or socket behind; never exits the process.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutDown()
    return this.#shutdown
  }

  /** Asks the gateway to put the actor to sleep (it then sends a stop command). */
  sleepActor(actorId: string): void {
    this.#actors.intent(actorId, { tag: "ActorIntentSleep", val: null })
  }

  /** Asks the gateway to stop the actor for good. */
  stopActor(actorId: string): void {
    this.#actors.intent(actorId, { tag: "ActorIntentStop", val: null })
  }

  /** Wakes the actor at `timestamp` (ms since the epoch); `null` clears the alarm. */
  setAlarm(actorId: string, timestamp: number | null): void {
    this.#actors.setAlarm(actorId, timestamp)
  }

  /** The actor's key-value storage at the gateway. */
  kv(actorId: string): ActorKv {
    return this.#kv.forActor(actorId)
  }

  async #shutDown(): Promise<void> {
    const wasStarted = this.#phase !== "idle"
    this.#phase = "stopping"
    if (wasStarted) {
      // The gateway stops the actors when it can be told; otherwise there is no one to wait for.
      if (this.#ready) {
        this.#sendControl({ tag: "ToServerStopping", val: null })
        await this.#within(this.#actors.whenIdle())
      } else this.#connection.stopReconnecting()
      await this.#within(this.#actors.stopAll())
      await this.#within(this.#tunnel.shutdown())
    }
    this.#kv.rejectAll(new KvError("the runner shut down"))
    this.#stopTimers()
    await this.#connection.close(CloseCode.normal, RUNNER_SHUTDOWN_REASON)
    this.#ready = false
    this.#tunnel.clear()
    this.#phase = "stopped"
    this.#settleStart?.reject(new Error("the runner shut down before the gateway accepted it"))
    this.#settleStart = null
    this.#logger.info({}, "runner shut down")
  }

  /** Waits for `promise`, at most `shutdownTimeoutMs`. */
  async #within(promise: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#config.shutdownTimeoutMs)
    })
    await Promise.race([promise, timeout])
    clearTimeout(timer)
  }

  #introduce(): void {
    const { runnerName, version, totalSlots, metadata, actorNames } = this.#config
    const names =
      actorNames === undefined
        ? null
        : new Map(
            Object.entries(actorNames).map(([name, value]) => [
              name,
              { metadata: JSON.stringify(value) },
            ]),
          )
    this.#write({
      tag: "ToServerInit",
      val: {
        name: runnerName,
        version,
        totalSlots,
        lastCommandIdx: this.#lastCommandIdx,
        prepopulateActorNames: names,
        metadata: metadata === undefined ? null : JSON.stringify(metadata),
      },
    })
  }

  #receive(bytes: Uint8Array): void {
    let message: latest.ToClient
    try {
      message = this.#codec.decode(bytes)
    } catch (error) {
      this.#logger.warn({ err: String(error), bytes: bytes.length }, "undecodable frame ignored")
      return
    }
    logFrame(this.#logger, "in", message)
    switch (message.tag) {
      case "ToClientInit":
        this.#accepted(message.val)
        break
      case "ToClientClose":
        this.#logger.info({}, "the gateway asked the runner to stop")
        void this.shutdown()
        break
      case "ToClientCommands":
        this.#commands(message.val)
        break
      case "ToClientAckEvents":
        this.#events.acknowledge(message.val.lastEventIdx)
        break
      case "ToClientKvResponse":
        this.#kv.response(message.val)
        break
      case "ToClientTunnelMessage":
        this.#tunnel.handle(message.val)
        break
    }
  }

  #accepted(init: latest.ToClientInit): void {
    this.#runnerId = init.runnerId
    this.#ready = true
    this.#connection.established()
    this.#events.acknowledge(init.lastEventIdx)
    // Socket-level messages first, so a close the actor sent is seen before its state change.
    this.#tunnel.connected()
    const events = this.#events.unacknowledged
    if (events.length > 0) this.#write({ tag: "ToServerEvents", val: [...events] })
    this.#kv.resend()
    this.#startTimers()
    if (this.#phase === "starting") this.#phase = "running"
    this.#settleStart?.resolve()
    this.#settleStart = null
    this.#logger.info({ runnerId: init.runnerId }, "runner accepted by the gateway")
  }

  #commands(commands: latest.ToClientCommands): void {
    let acknowledged = false
    for (const { index, inner } of commands) {
      if (this.#lastCommandIdx !== null && index <= this.#lastCommandIdx) continue
      this.#lastCommandIdx = index
      acknowledged = true
      this.#actors.command(inner)
    }
    if (acknowledged && this.#lastCommandIdx !== null) {
      this.#sendControl({
        tag: "ToServerAckCommands",
        val: { lastCommandIdx: this.#lastCommandIdx },
      })
    }
  }

  #lost(code: number, reason: string): void {
    this.#ready = false
    this.#stopTimers()
    this.#tunnel.disconnected()
    if (withoutRayId(reason) === RunnerConnectionClose.evicted.reason) {
      this.#logger.error({ code, reason }, "evicted by a newer runner with the same key")
      this.#connection.stopReconnecting()
      void this.shutdown()
    }
  }

  #emit(event: latest.Event): void {
    const wrapper = this.#events.append(event)
    this.#sendControl({ tag: "ToServerEvents", val: [wrapper] })
  }

  /** Sends a message once the gateway accepted this connection; returns whether it did. */
  #sendControl(message: latest.ToServer): boolean {
    return this.#ready && this.#write(message)
  }

  #write(message: latest.ToServer): boolean {
    logFrame(this.#logger, "out", message)
    return this.#connection.send(this.#codec.encode(message))
  }

  #startTimers(): void {
    this.#stopTimers()
    const ping = setInterval(() => {
      this.#sendControl({ tag: "ToServerPing", val: { ts: BigInt(Date.now()) } })
    }, this.#config.pingIntervalMs)
    const sweep = setInterval(
      () => this.#tunnel.sweep(),
      Math.max(10, Math.floor(this.#config.ackTimeoutMs / 4)),
    )
    this.#timers = [ping, sweep]
  }

  #stopTimers(): void {
    for (const timer of this.#timers) clearInterval(timer)
    this.#timers = []
  }
}
