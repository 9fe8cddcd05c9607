import { idKey, type latest, RunnerConnectionClose } from "@tunnelwire/protocol/pinned/v3"
import type { Actor, ActorHost } from "./actors/actor.js"
import { ActorRegistry } from "./actors/actor-registry.js"
import type { ResolvedOptions } from "./options.js"
import type {
  RunnerConnection,
  RunnerConnectionHost,
  TunnelRequest,
} from "./runners/runner-connection.js"
import { RunnerPool } from "./runners/runner-pool.js"
import { Tap } from "./tap/tap.js"
import type { TunnelHost } from "./tunnel/tunnel-host.js"

/**
 * The gateway's state and the protocol logic between runners and actors: what each decoded
 * runner message means. Sockets and servers live in `gateway.ts`.
 */
export class GatewayCore implements RunnerConnectionHost, ActorHost, TunnelHost {
  readonly options: ResolvedOptions
  readonly tap: Tap
  readonly requests = new Map<string, TunnelRequest>()
  readonly runners = new RunnerPool()
  readonly actors: ActorRegistry
  readonly #connections = new Set<RunnerConnection>()
  readonly #gcTimer: NodeJS.Timeout
  #stopping = false

  constructor(options: ResolvedOptions) {
    this.options = options
    this.tap = new Tap(options.tapHistory)
    this.actors = new ActorRegistry(this)
    this.#gcTimer = setInterval(() => this.collectGarbage(Date.now()), options.gcIntervalMs)
  }

  /** A connection passed the upgrade checks; it counts once it sends ToServerInit. */
  connectionOpened(connection: RunnerConnection): void {
    this.#connections.add(connection)
  }

  runnerInit(connection: RunnerConnection, init: latest.ToServerInit): void {
    connection.markReady(init)
    const record = this.runners.record(connection)
    connection.send({
      tag: "ToClientInit",
      val: {
        runnerId: connection.runnerId,
        lastEventIdx: record.lastEventIdx,
        metadata: { runnerLostThreshold: BigInt(this.options.runnerLostThresholdMs) },
      },
    })
    this.#runnerEvent(connection, "connected")
    this.runners
      .add(connection)
      ?.close(RunnerConnectionClose.evicted, `replaced by runner ${connection.runnerId}`)
    for (const actor of this.actors.all()) actor.runnerAvailable()
  }

  runnerMessage(connection: RunnerConnection, message: latest.ToServer): void {
    switch (message.tag) {
      case "ToServerTunnelMessage":
        this.#tunnelMessage(connection, message.val)
        return
      case "ToServerEvents":
        this.#events(connection, message.val)
        return
      case "ToServerKvRequest":
        this.#kv(connection, message.val)
        return
      case "ToServerStopping":
        // The runner waits for its actors to be stopped; none is placed on it any more.
        connection.state = "draining"
        for (const actorId of [...connection.actorIds]) this.actors.get(actorId)?.drain()
        return
      case "ToServerAckCommands":
      case "ToServerPing":
        return
    }
  }

  runnerClosed(connection: RunnerConnection): void {
    this.#connections.delete(connection)
    this.runners.remove(connection)
    if (connection.name !== null) this.#runnerEvent(connection, "disconnected")
    for (const actorId of [...connection.actorIds]) this.actors.get(actorId)?.runnerGone(connection)
  }

  pickRunner(actor: Actor): RunnerConnection | null {
    // While the gateway stops, closing runners must not be handed actors of the ones closed first.
    return this.#stopping ? null : this.runners.pick(actor)
  }

  sendCommand(connection: RunnerConnection, command: latest.Command): void {
    const record = this.runners.record(connection)
    const index = record.nextCommandIdx++
    connection.send({ tag: "ToClientCommands", val: [{ index, inner: command }] })
  }

  /** Gives up requests whose runner left a tunnel message unacknowledged past the timeout. */
  collectGarbage(now: number): void {
    for (const connection of this.#connections) {
      for (const request of connection.collectOverdueAcks(now)) request.onAckOverdue(connection)
    }
  }

  /** Every runner connection, live or still before its ToServerInit. */
  connections(): RunnerConnection[] {
    return [...this.#connections]
  }

  dispose(): void {
    this.#stopping = true
    clearInterval(this.#gcTimer)
    for (const actor of this.actors.all()) actor.dispose()
  }

  #tunnelMessage(connection: RunnerConnection, message: latest.ToServerTunnelMessage): void {
    if (message.messageKind.tag === "TunnelAck") {
      connection.acknowledged(message.messageId)
      return
    }
    const key = idKey(message.requestId)
    const request = connection.requests.get(key)
    if (request === undefined) {
      const known = this.requests.has(key)
      const owner = known ? "a request this runner does not serve" : "an unknown request"
      this.#fault(connection, `${message.messageKind.tag} for ${owner}; ignored`, key)
      // A request that ended (its client left, say) takes nothing more: the runner may forget
      // what was still on its way, rather than hold it against its buffer until its ack timeout.
      if (!known) connection.acknowledge(message)
      return
    }
    request.onRunnerMessage(connection, message.messageKind, () => connection.acknowledge(message))
  }

  #events(connection: RunnerConnection, events: latest.ToServerEvents): void {
    const record = this.runners.record(connection)
    for (const { index, inner } of events) {
      if (index <= record.lastEventIdx) continue
      record.lastEventIdx = index
      const actor = this.actors.get(inner.val.actorId)
      if (actor === undefined || actor.runner !== connection) {
        this.#fault(
          connection,
          `${inner.tag} for actor ${inner.val.actorId} it does not host`,
          null,
        )
        continue
      }
      switch (inner.tag) {
        case "EventActorStateUpdate":
          actor.stateUpdate(connection, inner.val.generation, inner.val.state)
          break
        case "EventActorIntent":
          actor.intent(connection, inner.val.generation, inner.val.intent)
          break
        case "EventActorSetAlarm":
          actor.setAlarm(inner.val.alarmTs === null ? null : Number(inner.val.alarmTs))
          break
      }
    }
    connection.send({ tag: "ToClientAckEvents", val: { lastEventIdx: record.lastEventIdx } })
  }

  #kv(connection: RunnerConnection, request: latest.ToServerKvRequest): void {
    const actor = this.actors.get(request.actorId)
    const data: latest.KvResponseData =
      actor !== undefined && actor.runner === connection
        ? actor.kv.handle(request.data)
        : {
            tag: "KvErrorResponse",
            val: { message: `actor ${request.actorId} is not hosted by this runner` },
          }
    connection.send({ tag: "ToClientKvResponse", val: { requestId: request.requestId, data } })
  }

  #runnerEvent(connection: RunnerConnection, event: "connected" | "disconnected"): void {
    this.tap.emit(() => ({
      type: "runner",
      event,
      runnerId: connection.runnerId,
      runnerKey: connection.params.runnerKey,
      runnerName: connection.name,
      version: connection.version,
      code: null,
      reason: null,
    }))
  }

  #fault(connection: RunnerConnection, message: string, requestId: string | null): void {
    this.tap.emit(() => ({ type: "fault", message, runnerId: connection.runnerId, requestId }))
  }
}
