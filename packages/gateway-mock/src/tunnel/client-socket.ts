import type { Duplex } from "node:stream"
import {
  type CloseRule,
  closeHibernates,
  GatewayClose,
  idKey,
  keepsSocketWhileActorAway,
  type latest,
  newId,
  numbersMessages,
  redactPath,
  replaysWithStart,
  withRayId,
} from "@tunnelwire/protocol"
import type { RawData, WebSocket } from "ws"
import { type Actor, type ActorSocket, ActorUnavailableError } from "../actors/actor.js"
import { flatString } from "../flat-string.js"
import { newRayId } from "../ray-id.js"
import { TunnelIndex } from "../runners/request-table.js"
import type { RunnerConnection, TunnelRequest } from "../runners/runner-connection.js"
import { corkForTick } from "../write-batching.js"
import { ClientDrain } from "./client-drain.js"
import { clientCloseForActor } from "./close-sanitizing.js"
import { packHeaders, unpackHeaders } from "./packed-headers.js"
import { SocketOutbox } from "./socket-outbox.js"
import { ownBytes, type TunnelHost } from "./tunnel-host.js"

/** No close code in the client's close frame (RFC 6455 §7.1.5): nothing to pass on. */
const NO_STATUS_RECEIVED = 1005

/**
 * A client's WebSocket tunneled to an actor. It may outlive its actor's run: when its runner said
 * it can hibernate, it stays open to the client while the actor sleeps or its runner goes away,
 * holds the client's messages, wakes the actor on the next one and replays what the runner has
 * not acknowledged.
 *
 * - awaiting: the client is connected, the actor is not running yet
 * - opening: ToClientWebSocketOpen sent, waiting for the runner's answer
 * - open: bound to a runner, messages flow
 * - hibernating: open to the client, not forwarding (the actor is stopping or away)
 */
export class ClientSocket implements TunnelRequest, ActorSocket {
  readonly requestId = newId()
  readonly key = flatString(idKey(this.requestId))
  readonly shortId: ArrayBuffer
  readonly tunnelIndex = new TunnelIndex()
  readonly actorId: string
  state: "awaiting" | "opening" | "open" | "hibernating" | "closed" = "awaiting"
  readonly #host: TunnelHost
  readonly #actor: Actor
  readonly #client: WebSocket
  /** The client's TCP socket, corked for the rest of the tick on each write (`corkForTick`). */
  readonly #socket: Duplex
  readonly #path: string
  /** Packed: kept for the socket's life, only sent again when it reopens. */
  readonly #headers: string
  readonly #outbox: SocketOutbox
  /** Made on the first message for the client, dropped while hibernating with nothing held. */
  #drain: ClientDrain | null = null
  /** The runner connection this socket is bound to (still set while its actor stops). */
  #connection: RunnerConnection | null = null
  #canHibernate = false
  #version = 0
  #reopening = false
  /**
   * Named in a start command whose runner holds tunnel messages until the actor started: held
   * messages go out behind the command, before the actor reports running.
   */
  #replayingEarly = false
  #openTimer: NodeJS.Timeout | undefined

  constructor(
    host: TunnelHost,
    actor: Actor,
    client: WebSocket,
    socket: Duplex,
    path: string,
    headers: Map<string, string>,
  ) {
    this.#host = host
    this.shortId = host.mintShortId()
    this.#actor = actor
    this.actorId = actor.id
    this.#client = client
    this.#socket = socket
    this.#path = path
    this.#headers = packHeaders(headers)
    this.#outbox = new SocketOutbox({
      maxMessages: host.options.maxPendingMessages,
      maxBytes: host.options.maxPendingBytes,
    })
    host.requests.add(this)
    actor.sockets.add(this)
    client.on("message", (data, isBinary) => this.#clientMessage(data, isBinary))
    client.on("close", (code, reason) => this.#clientClosed(code, reason.toString()))
    client.on("error", () => this.#clientClosed(NO_STATUS_RECEIVED, ""))
  }

  get hibernating(): boolean {
    return this.state === "hibernating"
  }

  /**
   * Hibernating with client messages the actor must still get: ones no runner has seen, or,
   * after a runner was lost, any it did not acknowledge. Messages sent before a graceful stop and
   * not acknowledged wait for the next wake instead of causing one, so an acknowledgement still
   * in flight at a sleep does not undo the sleep.
   */
  get wantsWake(): boolean {
    return this.state === "hibernating" && this.#outbox.neverSentCount > 0
  }

  /** Waits for the actor (starting it on demand) and opens the socket on its runner. */
  async start(): Promise<void> {
    let connection: RunnerConnection
    try {
      connection = await this.#actor.whenRunning(this.#host.options.actorStartTimeoutMs)
    } catch (error) {
      if (this.state !== "closed") this.#giveUp(unavailableRule(error))
      return
    }
    if (this.state === "awaiting") this.#open(connection)
  }

  onRunnerMessage(
    connection: RunnerConnection,
    kind: latest.ToServerTunnelMessageKind,
    acknowledge: () => void,
  ): void {
    // Data for the client is acknowledged once the client has room for it; the rest at once.
    if (kind.tag !== "ToServerWebSocketMessage" || this.state === "closed") acknowledge()
    switch (kind.tag) {
      case "ToServerWebSocketOpen":
        this.#opened(connection, kind.val.canHibernate)
        return
      case "ToServerWebSocketMessage": {
        if (this.state === "closed") return
        this.#drain ??= this.#newDrain()
        const drain = this.#drain
        corkForTick(this.#socket)
        this.#client.send(Buffer.from(kind.val.data), { binary: kind.val.binary }, drain.progress)
        drain.wrote(kind.val.data.byteLength, acknowledge)
        return
      }
      case "ToServerWebSocketMessageAck":
        this.#outbox.acknowledge(kind.val.index)
        return
      case "ToServerWebSocketClose":
        this.#runnerClosed(connection, kind.val)
        return
      default:
        this.#fault(`${kind.tag} for a WebSocket request`)
    }
  }

  onAckOverdue(): void {
    // A hibernating socket waits for its actor, however long: it is never collected.
    if (this.state === "hibernating" || this.state === "closed") return
    this.#giveUp(GatewayClose.serviceTimeout)
  }

  restoreOn(connection: RunnerConnection): void {
    // Bound while still hibernating: the runner may refuse the restore with a close.
    if (this.state !== "hibernating") return
    this.#attach(connection)
    if (!replaysWithStart(connection.version)) return
    this.#version = connection.version
    this.#replayingEarly = true
    this.#flush()
  }

  actorRunning(connection: RunnerConnection, restored: boolean): void {
    if (this.state !== "hibernating") return
    if (!restored) {
      this.#open(connection)
      return
    }
    this.#attach(connection)
    this.#version = connection.version
    this.#replayingEarly = false
    this.state = "open"
    this.#emit("wake")
    this.#flush()
  }

  actorStopping(): void {
    // Stopped before it reported running: what arrives now waits for the next run.
    this.#replayingEarly = false
    if (this.state === "open" && this.#retains()) this.#hibernate()
  }

  actorGone(runnerLost: boolean): void {
    if (this.state === "open" && this.#retains()) this.#hibernate()
    if (this.state === "hibernating") {
      const neverRan = this.#replayingEarly
      this.#detach()
      // The lost runner may have delivered them without saving, and an actor that never reported
      // running may never have seen them: they must reach the actor again (and wake it).
      if (runnerLost || neverRan) this.#outbox.forgetDelivery()
    } else if (this.state === "open" || this.state === "opening") {
      this.#closeClient(GatewayClose.downstreamClosed.code, GatewayClose.downstreamClosed.reason)
    }
  }

  destroyed(): void {
    if (this.state === "closed") return
    this.#tellRunner(GatewayClose.downstreamClosed.code, GatewayClose.downstreamClosed.reason)
    this.#closeClient(GatewayClose.downstreamClosed.code, GatewayClose.downstreamClosed.reason)
  }

  /** Closes the client on gateway shutdown. */
  shutdown(): void {
    if (this.state !== "closed")
      this.#closeClient(GatewayClose.shutdown.code, GatewayClose.shutdown.reason)
  }

  #hibernate(): void {
    this.state = "hibernating"
    this.#emit("hibernate")
    // A sleeping socket may stay for days: it keeps only what it needs to wake.
    if (this.#drain?.idle === true) this.#drain = null
  }

  #newDrain(): ClientDrain {
    const client = this.#client
    return new ClientDrain({
      highWaterBytes: this.#host.options.clientHighWaterBytes,
      maxBytes: this.#host.options.maxClientBufferedBytes,
      stallTimeoutMs: this.#host.options.clientStallTimeoutMs,
      pending: () => client.bufferedAmount,
      onStuck: (why) => this.#giveUp(GatewayClose.clientTooSlow, why),
    })
  }

  #open(connection: RunnerConnection): void {
    this.#reopening = this.state === "hibernating"
    this.#attach(connection)
    this.state = "opening"
    connection.sendTunnel(this, {
      tag: "ToClientWebSocketOpen",
      val: { actorId: this.#actor.id, path: this.#path, headers: unpackHeaders(this.#headers) },
    })
    this.#openTimer = setTimeout(
      () => this.#giveUp(GatewayClose.serviceTimeout),
      this.#host.options.responseTimeoutMs,
    )
  }

  #opened(connection: RunnerConnection, canHibernate: boolean): void {
    if (this.state !== "opening") {
      this.#fault("ToServerWebSocketOpen for a socket that is not opening")
      return
    }
    clearTimeout(this.#openTimer)
    this.#openTimer = undefined
    this.#canHibernate = canHibernate
    this.#version = connection.version
    this.state = "open"
    this.#emit(this.#reopening ? "wake" : "open")
    this.#flush()
  }

  #runnerClosed(connection: RunnerConnection, close: latest.ToServerWebSocketClose): void {
    if (this.state === "closed") return
    const socket = { version: connection.version, canHibernate: this.#canHibernate }
    if (this.state === "open" && closeHibernates({ ...socket, closeHibernate: close.hibernate })) {
      this.#hibernate()
      this.#detach()
      return
    }
    const { code, reason, problem } = clientCloseForActor(close.code, close.reason, newRayId)
    if (problem !== null) this.#fault(`the actor's close was not sendable (${problem}): ${reason}`)
    this.#closeClient(code, reason)
  }

  #clientMessage(data: RawData, isBinary: boolean): void {
    if (this.state === "closed") return
    const bytes = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data)
    if (this.#outbox.push(ownBytes(bytes), isBinary) === null) {
      this.#giveUp(GatewayClose.pendingLimitReached)
      return
    }
    if (this.state === "open" || this.#replayingEarly) {
      this.#flush()
    } else if (this.state === "hibernating" && this.#connection === null) {
      const runner = this.#actor.runner
      if (this.#actor.state === "running" && runner !== null && runner.state !== "closed") {
        this.#open(runner)
      } else {
        this.#actor.wake()
      }
    } else if (this.state === "hibernating") {
      // Still bound to an actor that is stopping: it restarts once the stop completes.
      this.#actor.wake()
    }
  }

  #clientClosed(code: number, reason: string): void {
    if (this.state === "closed") return
    this.#tellRunner(code === NO_STATUS_RECEIVED ? null : code, reason === "" ? null : reason)
    this.#finish(code, reason)
  }

  #flush(): void {
    const connection = this.#connection
    if (connection === null) return
    const numbered = numbersMessages({ version: this.#version, canHibernate: this.#canHibernate })
    const skipped = this.#host.options.faults.skipMessageIndex
    for (const entry of this.#outbox.takeUnsent()) {
      if (entry.index === skipped) continue
      connection.sendTunnel(
        this,
        { tag: "ToClientWebSocketMessage", val: { data: entry.data, binary: entry.binary } },
        numbered ? entry.index : null,
      )
    }
    if (!this.#retains()) this.#outbox.forgetSent()
  }

  #retains(): boolean {
    return keepsSocketWhileActorAway({ version: this.#version, canHibernate: this.#canHibernate })
  }

  #attach(connection: RunnerConnection): void {
    this.#connection = connection
    connection.requests.add(this)
  }

  #detach(): void {
    this.#replayingEarly = false
    clearTimeout(this.#openTimer)
    this.#openTimer = undefined
    this.#connection?.requests.remove(this)
    this.#connection = null
    this.#outbox.rewind()
  }

  /** Tells the bound runner the client side is gone (never in answer to the runner's own close). */
  #tellRunner(code: number | null, reason: string | null): void {
    if (this.#connection === null || this.state === "awaiting") return
    this.#connection.sendTunnel(this, {
      tag: "ToClientWebSocketClose",
      val: { code, reason },
    })
  }

  /** Gives the socket up with a gateway error: the client and the runner both hear why. */
  #giveUp(rule: CloseRule, detail?: string): void {
    const reason = withRayId(rule.reason, newRayId())
    this.#fault(
      detail === undefined ? `closing with ${reason}` : `closing with ${reason}: ${detail}`,
    )
    this.#tellRunner(rule.code, reason)
    this.#closeClient(rule.code, reason)
  }

  #closeClient(code: number, reason: string): void {
    this.#client.close(code, reason)
    this.#finish(code, reason)
  }

  #finish(code: number, reason: string): void {
    if (this.state === "closed") return
    const runnerId = this.#connection?.runnerId ?? null
    this.#detach()
    this.#drain?.close()
    this.state = "closed"
    this.#actor.sockets.delete(this)
    this.#host.requests.remove(this)
    this.#emit("close", code, reason, runnerId)
  }

  #emit(
    event: "open" | "hibernate" | "wake" | "close",
    code?: number,
    reason?: string,
    runnerId = this.#connection?.runnerId ?? null,
  ): void {
    this.#host.tap.emit(() => ({
      type: "socket",
      event,
      requestId: this.key,
      actorId: this.#actor.id,
      path: redactPath(this.#path),
      runnerId,
      code: code ?? null,
      reason: reason ?? null,
      pending: this.#outbox.size,
    }))
  }

  #fault(message: string): void {
    this.#host.tap.emit(() => ({
      type: "fault",
      message,
      runnerId: this.#connection?.runnerId ?? null,
      requestId: this.key,
    }))
  }
}

function unavailableRule(error: unknown): CloseRule {
  return error instanceof ActorUnavailableError && error.reason === "startTimeout"
    ? GatewayClose.serviceTimeout
    : GatewayClose.serviceUnavailable
}
