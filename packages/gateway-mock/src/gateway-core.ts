import { randomBytes } from "node:crypto"
import { evictionClose, isSecondFamily, type latest } from "@tunnelwire/protocol"
import type { Actor, ActorHost } from "./actors/actor.js"
import { ActorRegistry } from "./actors/actor-registry.js"
import type { ResolvedOptions } from "./options.js"
import { RequestTable, ShortIds } from "./runners/request-table.js"
import type {
  RunnerConnection,
  RunnerConnectionHost,
  TunnelRequest,
} from "./runners/runner-connection.js"
import { RunnerPool, type RunnerRecord } from "./runners/runner-pool.js"
import { ServerlessPool } from "./serverless/serverless-pool.js"
import type { ServerlessHost } from "./serverless/serverless-request.js"
import { Tap } from "./tap/tap.js"
import type { TunnelHost } from "./tunnel/tunnel-host.js"

interface LostRunner {
  readonly connection: RunnerConnection
  readonly timer: NodeJS.Timeout
  expire(): void
}

/**
 * The gateway's state and the protocol logic between runners and actors: what each decoded
 * runner message means, in the v7 shape whatever the runner's version. Sockets and servers live
 * in `gateway.ts`; each connection's dialect converts at the version edge.
 */
export class GatewayCore implements RunnerConnectionHost, ActorHost, TunnelHost, ServerlessHost {
  readonly options: ResolvedOptions
  readonly tap: Tap
  /** The gateway's base URL, once it listens. */
  endpoint = ""
  readonly serverless: ServerlessPool
  readonly gatewayId = randomBytes(4).buffer as ArrayBuffer
  readonly requests = new RequestTable<TunnelRequest>()
  readonly runners = new RunnerPool()
  readonly actors: ActorRegistry
  readonly #shortIds = new ShortIds()
  readonly #connections = new Set<RunnerConnection>()
  /** v4+ runners gone without a goodbye, by pool key, while their actors wait for them. */
  readonly #lost = new Map<string, LostRunner>()
  readonly #gcTimer: NodeJS.Timeout
  #stopping = false

  constructor(options: ResolvedOptions) {
    this.options = options
    this.tap = new Tap(options.tapHistory)
    this.actors = new ActorRegistry(this)
    this.serverless = new ServerlessPool(this, options.serverless)
    this.#gcTimer = setInterval(() => this.collectGarbage(Date.now()), options.gcIntervalMs)
  }

  /** A second-family request id no live request has. */
  mintShortId(): ArrayBuffer {
    let id = this.#shortIds.mint()
    while (this.requests.hasShortId(id)) id = this.#shortIds.mint()
    return id
  }

  /** A connection passed the upgrade checks; it counts once it sends ToServerInit. */
  connectionOpened(connection: RunnerConnection): void {
    this.#connections.add(connection)
  }

  record(connection: RunnerConnection): RunnerRecord {
    return this.runners.record(connection)
  }

  runnerInit(connection: RunnerConnection, init: { name: string; totalSlots: number }): void {
    connection.markReady(init)
    if (!isSecondFamily(connection.version)) {
      connection.greet()
      this.#runnerEvent(connection, "connected")
      this.#evictOlder(connection)
    } else {
      // An older connection of this runner is lost first, so its actors come back with it.
      this.#evictOlder(connection)
      const adopted = this.#adoptLost(connection)
      connection.greet()
      this.#runnerEvent(connection, "connected")
      for (const actor of adopted) actor.resumed(connection)
    }
    for (const actor of this.actors.all()) actor.runnerAvailable()
  }

  runnerEvent(
    connection: RunnerConnection,
    actorId: string,
    generation: number,
    event: latest.Event,
  ): void {
    const actor = this.actors.get(actorId)
    if (actor === undefined || actor.runner !== connection) {
      this.#fault(connection, `${event.tag} for actor ${actorId} it does not host`, null)
      return
    }
    switch (event.tag) {
      case "EventActorStateUpdate":
        actor.stateUpdate(connection, generation, event.val.state)
        return
      case "EventActorIntent":
        actor.intent(connection, generation, event.val.intent)
        return
      case "EventActorSetAlarm":
        actor.setAlarm(event.val.alarmTs === null ? null : Number(event.val.alarmTs))
        return
    }
  }

  runnerTunnel(
    connection: RunnerConnection,
    requestKey: string,
    kind: latest.ToServerTunnelMessageKind,
    acknowledge: () => void,
  ): void {
    const request = connection.requests.get(requestKey)
    if (request === undefined) {
      const owner = this.requests.has(requestKey)
        ? "a request this runner does not serve"
        : "an unknown request"
      this.#fault(connection, `${kind.tag} for ${owner}; ignored`, requestKey)
      return
    }
    request.onRunnerMessage(connection, kind, acknowledge)
  }

  runnerKv(
    connection: RunnerConnection,
    actorId: string,
    data: latest.KvRequestData,
  ): latest.KvResponseData {
    const actor = this.actors.get(actorId)
    return actor !== undefined && actor.runner === connection
      ? actor.kv.handle(data)
      : {
          tag: "KvErrorResponse",
          val: { message: `actor ${actorId} is not hosted by this runner` },
        }
  }

  runnerStopping(connection: RunnerConnection): void {
    // The runner waits for its actors to be stopped; none is placed on it any more.
    this.drainRunner(connection)
  }

  get token(): string | undefined {
    return this.options.token
  }

  /** Stops the runner's actors (they start again elsewhere on demand) and places none on it. */
  drainRunner(connection: RunnerConnection): void {
    if (connection.state === "closed") return
    connection.state = "draining"
    for (const actorId of [...connection.actorIds]) this.actors.get(actorId)?.drain()
  }

  /** Sends the runner away for good (the engine's `ToRunnerClose`); its actors are gone at once. */
  closeRunner(connection: RunnerConnection): void {
    connection.evict()
  }

  /** The live connection of `runnerId`. */
  runnerById(runnerId: string): RunnerConnection | undefined {
    for (const connection of this.#connections) {
      if (connection.runnerId === runnerId && connection.state !== "closed") return connection
    }
    return undefined
  }

  drainGracePeriodMs(connection: RunnerConnection): number | null {
    if (connection.name === null) return null
    return (
      this.serverless.config(connection.params.namespace, connection.name)?.drainGracePeriodMs ??
      null
    )
  }

  runnerClosed(connection: RunnerConnection, draining: boolean): void {
    this.#connections.delete(connection)
    this.runners.remove(connection)
    if (connection.name !== null) this.#runnerEvent(connection, "disconnected")
    const actorIds = [...connection.actorIds]
    if (isSecondFamily(connection.version) && !draining && !this.#stopping && actorIds.length > 0) {
      this.#keepLost(connection, actorIds)
      return
    }
    for (const actorId of actorIds) this.actors.get(actorId)?.runnerGone(connection)
  }

  pickRunner(actor: Actor): RunnerConnection | null {
    // While the gateway stops, closing runners must not be handed actors of the ones closed first.
    if (this.#stopping) return null
    const picked = this.runners.pick(actor)
    if (picked === null) this.serverless.demand(actor.spec.namespace, actor.spec.runnerName)
    return picked
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
    this.serverless.dispose()
    for (const lost of this.#lost.values()) clearTimeout(lost.timer)
    for (const actor of this.actors.all()) actor.dispose()
  }

  #evictOlder(connection: RunnerConnection): void {
    this.runners
      .add(connection)
      ?.close(evictionClose(connection.version), `replaced by runner ${connection.runnerId}`)
  }

  /**
   * Rivet's engine keeps a v4+ runner's actors for the runner lost threshold after its connection
   * ends, and the runner keeps them as long (it force-stops them when its own timer fires). A
   * reconnect within it gets the same runner id, the actors back, and every unacknowledged command
   * replayed; otherwise the actors are gone as with any other runner.
   */
  #keepLost(connection: RunnerConnection, actorIds: string[]): void {
    this.#lost.get(connection.poolKey)?.expire()
    const expire = () => {
      clearTimeout(timer)
      if (this.#lost.get(connection.poolKey) === lost) this.#lost.delete(connection.poolKey)
      for (const actorId of [...connection.actorIds])
        this.actors.get(actorId)?.runnerGone(connection)
    }
    const timer = setTimeout(expire, this.options.runnerLostThresholdMs)
    const lost: LostRunner = { connection, timer, expire }
    this.#lost.set(connection.poolKey, lost)
    for (const actorId of actorIds) this.actors.get(actorId)?.runnerLost(connection)
  }

  #adoptLost(connection: RunnerConnection): Actor[] {
    const lost = this.#lost.get(connection.poolKey)
    if (lost === undefined) return []
    this.#lost.delete(connection.poolKey)
    clearTimeout(lost.timer)
    connection.runnerId = lost.connection.runnerId
    return [...lost.connection.actorIds].flatMap((actorId) => {
      const actor = this.actors.get(actorId)
      return actor?.adopt(lost.connection, connection) === true ? [actor] : []
    })
  }

  #runnerEvent(connection: RunnerConnection, event: "connected" | "disconnected"): void {
    this.tap.emit(() => ({
      type: "runner",
      event,
      runnerId: connection.runnerId,
      runnerKey: connection.params.runnerKey,
      runnerName: connection.name,
      version: connection.version,
      code: event === "disconnected" ? (connection.closedWith?.code ?? null) : null,
      reason: event === "disconnected" ? (connection.closedWith?.reason ?? null) : null,
    }))
  }

  #fault(connection: RunnerConnection, message: string, requestId: string | null): void {
    this.tap.emit(() => ({ type: "fault", message, runnerId: connection.runnerId, requestId }))
  }
}
