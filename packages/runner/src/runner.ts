import {
  type Capabilities,
  CloseCode,
  isEvictionReason,
  RUNNER_SHUTDOWN_REASON,
  runnerConnectUrl,
  runnerSubprotocols,
  type v7,
} from "@tunnelwire/protocol"
import type { latest } from "@tunnelwire/protocol/pinned/v3"
import { ActorHost } from "./actors.js"
import { CheckpointedEventLog } from "./checkpointed-events.js"
import { type ResolvedConfig, type RunnerConfig, resolveConfig } from "./config.js"
import { RunnerConnection } from "./connection.js"
import { EventLog } from "./event-log.js"
import { FrameCodec, type Inbound, joinRequestId } from "./frames.js"
import { type ActorKv, KvClient, KvError, RunnerLostError, type RunnerLostReason } from "./kv.js"
import type { Logger } from "./logger.js"
import { serverlessInitPacket } from "./serverless.js"
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
  readonly #caps: Capabilities
  readonly #connection: RunnerConnection
  /** v1–v3: one event index per runner. */
  #events = new EventLog()
  /** v4+: event indexes per actor generation. */
  #checkpointedEvents = new CheckpointedEventLog()
  readonly #kv: KvClient
  readonly #tunnel: Tunnel
  readonly #actors: ActorHost
  #phase: Phase = "idle"
  /** The connection is open and the gateway answered `ToServerInit`. */
  #ready = false
  #runnerId: string | null = null
  /** v1–v3: the last command processed. */
  #lastCommandIdx: bigint | null = null
  /** v4+: each actor's last command processed, by generation. */
  readonly #lastCommands = new Map<string, { generation: number; index: bigint }>()
  /** v4+: what the gateway said in `ToClientInit` (thresholds in ms). */
  #protocolMetadata: v7.ProtocolMetadata | null = null
  /** How long the gateway keeps this runner while disconnected (`ToClientInit`); null: not told. */
  #runnerLostThresholdMs: number | null = null
  /**
   * The runner lost check: pending (with its cancel function), `fired` (it stays so until the
   * gateway accepts the runner again: nothing is left to stop), or `null`.
   */
  #runnerLostCheck: { readonly cancel: () => void } | "fired" | null = null
  #timers: NodeJS.Timeout[] = []
  #started: Promise<void> | null = null
  #settleStart: { resolve: () => void; reject: (error: Error) => void } | null = null
  #shutdown: Promise<void> | null = null

  constructor(config: RunnerConfig) {
    this.#config = resolveConfig(config)
    const { logger, handlers } = this.#config
    this.#logger = logger
    this.#codec = new FrameCodec(this.#config.protocolVersion, logger)
    this.#caps = this.#codec.caps
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
      version: this.#config.protocolVersion,
      send: (request) => this.#sendKv(request),
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

  /** v4+: the gateway's thresholds from `ToClientInit`, once connected; `null` before and on v1–v3. */
  get protocolMetadata(): v7.ProtocolMetadata | null {
    return this.#protocolMetadata
  }

  /**
   * For a serverless endpoint's `/start` response: the init event's data (base64), which names
   * this runner to the gateway; null until the gateway accepted the runner.
   */
  serverlessInitPacket(): string | null {
    return this.#runnerId === null
      ? null
      : serverlessInitPacket(this.#runnerId, this.#config.protocolVersion)
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
      await this.#within(this.#actors.forceStopAll("shutdown"))
      await this.#within(this.#tunnel.shutdown())
    }
    this.#kv.rejectAll(() => new KvError("the runner shut down"))
    this.#stopTimers()
    this.#clearRunnerLost()
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
    const init = {
      name: runnerName,
      version,
      totalSlots,
      prepopulateActorNames: names,
      metadata: metadata === undefined ? null : JSON.stringify(metadata),
    }
    if (this.#caps.initLastIndexes) {
      this.#write({ tag: "ToServerInit", val: { ...init, lastCommandIdx: this.#lastCommandIdx } })
    } else this.#writeCheckpointed({ tag: "ToServerInit", val: init })
  }

  #receive(bytes: Uint8Array): void {
    let inbound: Inbound
    try {
      inbound = this.#codec.decode(bytes)
    } catch (error) {
      this.#logger.warn({ err: String(error), bytes: bytes.length }, "undecodable frame ignored")
      return
    }
    if (inbound.checkpoints) this.#receiveCheckpointed(inbound.message)
    else this.#receiveIndexed(inbound.message)
  }

  /** v1–v3. */
  #receiveIndexed(message: latest.ToClient): void {
    switch (message.tag) {
      case "ToClientInit": {
        const { runnerId, lastEventIdx, metadata } = message.val
        this.#accepted(runnerId, metadata.runnerLostThreshold, () =>
          this.#events.acknowledge(lastEventIdx),
        )
        break
      }
      case "ToClientClose":
        // The gateway sends the runner away and closes the connection: as on a v4+ eviction, no
        // one will stop the actors any more, so the shutdown must not wait for it to.
        this.#logger.info({}, "the gateway sent the runner away")
        this.#ready = false
        void this.shutdown()
        break
      case "ToClientCommands":
        this.#commands(message.val)
        break
      case "ToClientAckEvents":
        this.#events.acknowledge(message.val.lastEventIdx)
        break
      case "ToClientKvResponse":
        this.#kv.response(withUpdateTs(message.val))
        break
      case "ToClientTunnelMessage":
        this.#tunnel.handle(message.val)
        break
    }
  }

  /** v4+. */
  #receiveCheckpointed(message: v7.ToClient): void {
    switch (message.tag) {
      case "ToClientInit":
        this.#protocolMetadata = message.val.metadata
        this.#accepted(message.val.runnerId, message.val.metadata.runnerLostThreshold)
        break
      case "ToClientPing":
        // Answered at once with the same timestamp: the gateway measures the round trip.
        this.#writeCheckpointed({ tag: "ToServerPong", val: { ts: message.val.ts } })
        break
      case "ToClientCommands":
        this.#checkpointedCommands(message.val)
        break
      case "ToClientAckEvents":
        for (const { actorId, generation, index } of message.val.lastEventCheckpoints) {
          this.#checkpointedEvents.acknowledge({
            actorId,
            generation: this.#caps.generationInCheckpoint ? generation : null,
            index,
          })
        }
        break
      case "ToClientKvResponse":
        this.#kv.response(message.val)
        break
      case "ToClientTunnelMessage":
        this.#tunnel.handle(this.#codec.tunnelIn(message.val))
        break
    }
  }

  /**
   * The gateway accepted this connection. Under another runner id than before, it has forgotten
   * this runner: everything of the old one is dropped first (`#startAfresh`). `acknowledgeEvents`
   * applies what the init says about events (v1–v3), once the log it speaks of is the right one.
   */
  #accepted(
    runnerId: string,
    runnerLostThreshold: bigint,
    acknowledgeEvents: () => void = () => {},
  ): void {
    this.#clearRunnerLost()
    if (this.#runnerId !== null && runnerId !== this.#runnerId) this.#startAfresh(runnerId)
    acknowledgeEvents()
    this.#runnerId = runnerId
    this.#runnerLostThresholdMs = this.#caps.runnerLostThreshold
      ? Number(runnerLostThreshold)
      : null
    this.#ready = true
    this.#connection.established()
    // Socket-level messages first, so a close the actor sent is seen before its state change.
    this.#tunnel.connected()
    this.#resendEvents()
    this.#kv.resend()
    this.#startTimers()
    if (this.#phase === "starting") this.#phase = "running"
    this.#settleStart?.resolve()
    this.#settleStart = null
    this.#logger.info({ runnerId }, "runner accepted by the gateway")
  }

  #resendEvents(): void {
    if (this.#caps.checkpoints) {
      const events = this.#checkpointedEvents.unacknowledged
      if (events.length > 0) this.#writeCheckpointed({ tag: "ToServerEvents", val: [...events] })
      return
    }
    const events = this.#events.unacknowledged
    if (events.length > 0) this.#write({ tag: "ToServerEvents", val: [...events] })
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

  /**
   * v4+: commands are numbered per actor generation; the gateway replays the unacknowledged ones
   * after every reconnect, so each is processed once, by (actor, generation, index).
   */
  #checkpointedCommands(commands: v7.ToClientCommands): void {
    const acknowledged = new Map<string, v7.ActorCheckpoint>()
    for (const { checkpoint, inner } of commands) {
      const { actorId, generation, index } = checkpoint
      const last = this.#lastCommands.get(actorId)
      if (last !== undefined && last.generation === generation && index <= last.index) continue
      this.#lastCommands.set(actorId, { generation, index })
      acknowledged.set(actorId, checkpoint)
      this.#actors.command(
        inner.tag === "CommandStartActor"
          ? {
              tag: "CommandStartActor",
              val: {
                actorId,
                generation,
                config: inner.val.config,
                hibernatingRequestIds: inner.val.hibernatingRequests.map((request) =>
                  joinRequestId(request.gatewayId, request.requestId),
                ),
              },
            }
          : { tag: "CommandStopActor", val: { actorId, generation } },
      )
    }
    if (acknowledged.size === 0) return
    // A v4 checkpoint names no generation (it travels in the command there).
    const lastCommandCheckpoints = [...acknowledged.values()].map((checkpoint) =>
      this.#caps.generationInCheckpoint ? checkpoint : { ...checkpoint, generation: 0 },
    )
    this.#sendControlCheckpointed({ tag: "ToServerAckCommands", val: { lastCommandCheckpoints } })
  }

  #lost(code: number, reason: string): void {
    this.#ready = false
    this.#stopTimers()
    this.#tunnel.disconnected()
    if (isEvictionReason(this.#config.protocolVersion, reason)) {
      this.#logger.error({ code, reason }, "evicted by a newer runner with the same key")
      this.#connection.stopReconnecting()
      void this.shutdown()
      return
    }
    this.#watchRunnerLost()
  }

  /**
   * Counts from the first loss (failed reconnects neither restart it nor, once it fired, start
   * another) to the gateway's runner lost threshold; a `ToClientInit` before then cancels it. A
   * threshold of 0 or less means none, as in Rivet's runner.
   */
  #watchRunnerLost(): void {
    const thresholdMs = this.#runnerLostThresholdMs
    if (this.#runnerLostCheck !== null || thresholdMs === null || thresholdMs <= 0) return
    if (this.#phase === "stopping" || this.#phase === "stopped") return
    const cancel = this.#config.scheduleRunnerLost(() => {
      this.#runnerLostCheck = "fired"
      this.#runnerLost(thresholdMs)
    }, thresholdMs)
    this.#runnerLostCheck = { cancel }
  }

  #clearRunnerLost(): void {
    if (typeof this.#runnerLostCheck === "object") this.#runnerLostCheck?.cancel()
    this.#runnerLostCheck = null
  }

  /**
   * Disconnected past the threshold: the gateway has rescheduled this runner's actors elsewhere.
   * They stop here too (forced; hibernatable sockets stay with the gateway for the next start)
   * and KV requests that can no longer be answered are refused. Reconnecting goes on.
   */
  #runnerLost(thresholdMs: number): void {
    if (this.#phase === "stopping" || this.#phase === "stopped") return
    this.#logger.warn({ thresholdMs }, "runner lost: stopping every actor")
    this.#abandonKv("thresholdPassed")
    void this.#actors.forceStopAll("runnerLost")
  }

  /**
   * The gateway accepted this runner under a new id: it forgot the old one, whose actors are being
   * rescheduled. They are force-stopped, reporting nothing (the gateway does not know them), and
   * the runner goes on as a fresh one: command indexes, events and KV requests of the old runner
   * are dropped.
   */
  #startAfresh(runnerId: string): void {
    this.#logger.warn(
      { previous: this.#runnerId, runnerId },
      "accepted under a new runner id: stopping every actor of the old one",
    )
    void this.#actors.forceStopAll("runnerReplaced")
    this.#abandonKv("runnerReplaced")
    this.#lastCommandIdx = null
    this.#lastCommands.clear()
    this.#events = new EventLog()
    this.#checkpointedEvents = new CheckpointedEventLog()
  }

  #abandonKv(reason: RunnerLostReason): void {
    this.#kv.rejectAll((request) => new RunnerLostError(reason, request))
  }

  #emit(event: latest.Event): void {
    if (this.#caps.checkpoints) {
      const wrapper = this.#checkpointedEvents.append(event)
      this.#sendControlCheckpointed({ tag: "ToServerEvents", val: [wrapper] })
      return
    }
    const wrapper = this.#events.append(event)
    this.#sendControl({ tag: "ToServerEvents", val: [wrapper] })
  }

  #sendKv(request: v7.ToServerKvRequest): boolean {
    if (this.#caps.checkpoints) {
      return this.#sendControlCheckpointed({ tag: "ToServerKvRequest", val: request })
    }
    const { data } = request
    // KvClient refuses delete-range on the versions without it before anything is sent.
    if (data.tag === "KvDeleteRangeRequest") throw new Error("KvDeleteRangeRequest needs v7")
    return this.#sendControl({ tag: "ToServerKvRequest", val: { ...request, data } })
  }

  /** Sends a message once the gateway accepted this connection; returns whether it did. */
  #sendControl(message: latest.ToServer): boolean {
    return this.#ready && this.#write(message)
  }

  #write(message: latest.ToServer): boolean {
    return this.#connection.send(this.#codec.encode(message))
  }

  #sendControlCheckpointed(message: v7.ToServer): boolean {
    return this.#ready && this.#writeCheckpointed(message)
  }

  #writeCheckpointed(message: v7.ToServer): boolean {
    return this.#connection.send(this.#codec.encodeCheckpointed(message))
  }

  #startTimers(): void {
    this.#stopTimers()
    if (this.#caps.tunnelAck) {
      const sweep = setInterval(
        () => this.#tunnel.sweep(),
        Math.max(10, Math.floor(this.#config.ackTimeoutMs / 4)),
      )
      this.#timers.push(sweep)
    }
    // From v4 the gateway pings and the runner answers (`#receiveCheckpointed`).
    if (this.#caps.pingSender === "runner") {
      const ping = setInterval(() => {
        this.#sendControl({ tag: "ToServerPing", val: { ts: BigInt(Date.now()) } })
      }, this.#config.pingIntervalMs)
      this.#timers.push(ping)
    }
  }

  #stopTimers(): void {
    for (const timer of this.#timers) clearInterval(timer)
    this.#timers = []
  }
}

/** v1–v3 KV metadata says `createTs` for what v4+ call `updateTs` (the same bytes). */
function withUpdateTs(response: latest.ToClientKvResponse): v7.ToClientKvResponse {
  const { data } = response
  const metadata = (list: readonly latest.KvMetadata[]) =>
    list.map(({ version, createTs }) => ({ version, updateTs: createTs }))
  switch (data.tag) {
    case "KvGetResponse":
    case "KvListResponse":
      return {
        ...response,
        data: { tag: data.tag, val: { ...data.val, metadata: metadata(data.val.metadata) } },
      } as v7.ToClientKvResponse
    default:
      return { ...response, data }
  }
}
