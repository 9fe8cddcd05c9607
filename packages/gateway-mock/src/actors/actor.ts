import { capabilities, latest } from "@tunnelwire/protocol"
import type { TunnelRequestIds } from "../runners/request-table.js"
import type { RunnerConnection } from "../runners/runner-connection.js"
import type { Tap } from "../tap/tap.js"
import { KvStore } from "./kv-store.js"
import { atTime } from "./long-timeout.js"

export type ActorState = "stopped" | "starting" | "running" | "stopping"

/** Something tunneled to an actor that lives longer than one runner: a client WebSocket. */
export interface ActorSocket extends TunnelRequestIds {
  readonly hibernating: boolean
  /** Hibernating with client messages no runner has seen: the actor must run again. */
  readonly wantsWake: boolean
  /** The start command just sent to `connection` names this socket for restoring. */
  restoreOn(connection: RunnerConnection): void
  /** The actor runs on `connection`; `restored` when its start command named this socket. */
  actorRunning(connection: RunnerConnection, restored: boolean): void
  /** The actor was asked to stop: hibernatable sockets stop forwarding and start buffering. */
  actorStopping(): void
  /**
   * The actor is no longer hosted by its runner. `runnerLost`: the runner went away without
   * stopping it, so what it did not acknowledge may never have been saved or seen.
   */
  actorGone(runnerLost: boolean): void
  /** The actor was destroyed. */
  destroyed(): void
}

/** An HTTP exchange in flight: it cannot outlive its actor's run. */
export interface ActorExchange {
  actorGone(): void
}

export interface ActorHost {
  readonly tap: Tap
  pickRunner(actor: Actor): RunnerConnection | null
}

export interface ActorSpec {
  readonly name: string
  readonly key: string | null
  readonly namespace: string
  /** Only runners with this name may host it; any runner when null. */
  readonly runnerName: string | null
  readonly input: ArrayBuffer | null
}

/** Why `whenRunning` gave up: nothing could host the actor, or it did not start in time. */
export class ActorUnavailableError extends Error {
  override name = "ActorUnavailableError"
  readonly actorId: string
  readonly reason: "noRunner" | "startTimeout" | "destroyed" | "failed"

  constructor(actorId: string, reason: ActorUnavailableError["reason"]) {
    super(`actor ${actorId} is unavailable (${reason})`)
    this.actorId = actorId
    this.reason = reason
  }
}

interface Waiter {
  resolve(connection: RunnerConnection): void
  reject(error: ActorUnavailableError): void
  timer: NodeJS.Timeout
}

/**
 * An actor as the gateway sees it: which runner hosts it, in which generation, and everything
 * tunneled to it. It starts on demand and may sleep; its sockets decide for themselves whether
 * they survive that (the hibernation rule lives in the protocol package).
 */
export class Actor {
  readonly id: string
  readonly spec: ActorSpec
  readonly createTs = BigInt(Date.now())
  readonly kv = new KvStore()
  readonly sockets = new Set<ActorSocket>()
  readonly exchanges = new Set<ActorExchange>()
  state: ActorState = "stopped"
  /** How it last stopped: put to sleep, stopped, or crashed (a runner reported an error). */
  rest: "new" | "sleeping" | "stopped" | "crashed" = "new"
  generation = 0
  runner: RunnerConnection | null = null
  #destroyed = false
  #wakeRequested = false
  #restoring = new Set<ActorSocket>()
  readonly #waiters = new Set<Waiter>()
  readonly #host: ActorHost
  #cancelAlarm: (() => void) | undefined

  constructor(id: string, spec: ActorSpec, host: ActorHost) {
    this.id = id
    this.spec = spec
    this.#host = host
  }

  /** The runner hosting the actor once it runs; starts it (on demand) when it does not. */
  whenRunning(timeoutMs: number): Promise<RunnerConnection> {
    if (this.state === "running" && this.runner !== null && this.runner.state !== "closed")
      return Promise.resolve(this.runner)
    if (this.#destroyed) return Promise.reject(new ActorUnavailableError(this.id, "destroyed"))
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter)
          const cause = this.state === "stopped" ? "noRunner" : "startTimeout"
          reject(new ActorUnavailableError(this.id, cause))
        }, timeoutMs),
      }
      this.#waiters.add(waiter)
      this.#tryStart()
    })
  }

  /** Starts the actor when it is not running, now or as soon as a runner can host it. */
  wake(): void {
    if (this.#destroyed || this.state === "running") return
    this.#wakeRequested = true
    this.#tryStart()
  }

  /** Asks its runner to stop it; hibernatable sockets stay open to their clients. */
  sleep(): void {
    if (this.state !== "running" && this.state !== "starting") return
    this.#wakeRequested = false
    this.#stop("sleeping")
  }

  /** Its runner is shutting down: stop the actor there; it starts again on demand elsewhere. */
  drain(): void {
    this.#stop("stopped")
  }

  /** A runner became available: start the actor if something is waiting for it. */
  runnerAvailable(): void {
    this.#tryStart()
  }

  stateUpdate(connection: RunnerConnection, generation: number, state: latest.ActorState): void {
    if (connection !== this.runner || generation !== this.generation) return
    if (state.tag === "ActorStateRunning") {
      if (this.state !== "starting") return
      this.state = "running"
      this.#wakeRequested = false
      this.#emit("running")
      const restoring = this.#restoring
      this.#restoring = new Set()
      for (const socket of [...this.sockets]) {
        if (socket.hibernating) socket.actorRunning(connection, restoring.has(socket))
      }
      for (const waiter of [...this.#waiters]) {
        clearTimeout(waiter.timer)
        this.#waiters.delete(waiter)
        waiter.resolve(connection)
      }
      return
    }
    const failedToStart = this.state === "starting"
    // A stop the gateway asked for ends as asked, whatever its code: Rivet's runner 2.2.1 reports
    // ERROR for every stop the actor did not ask for itself (v4-v7.md §4, TS/mod.ts:1256-1260).
    const asked = this.state === "stopping" && this.rest !== "new" ? this.rest : null
    const crashed = state.val.code === latest.StopCode.Error && asked === null
    this.#left(crashed ? "crashed" : (asked ?? "stopped"))
    if (failedToStart && crashed) {
      // A start that crashes is not retried in a loop: waiters fail, a later demand tries again.
      this.#wakeRequested = false
      this.#rejectAll("failed")
      return
    }
    this.#tryStart()
  }

  intent(connection: RunnerConnection, generation: number, intent: latest.ActorIntent): void {
    if (connection !== this.runner || generation !== this.generation) return
    this.#wakeRequested = false
    this.#stop(intent.tag === "ActorIntentSleep" ? "sleeping" : "stopped")
  }

  /** Its runner's connection ended: the actor is no longer anywhere; it restarts on demand. */
  runnerGone(connection: RunnerConnection): void {
    if (connection !== this.runner) return
    this.#left("stopped", true)
    this.#tryStart()
  }

  /**
   * Its v4+ runner's connection ended without a goodbye: the actor stays bound to that runner for
   * the runner lost threshold, as Rivet's engine keeps it, in case the runner reconnects. What was
   * tunneled through the connection cannot wait: sockets hibernate or close, exchanges fail.
   */
  runnerLost(connection: RunnerConnection): void {
    if (connection !== this.runner) return
    for (const socket of [...this.sockets]) socket.actorGone(true)
    for (const exchange of [...this.exchanges]) exchange.actorGone()
  }

  /** The lost runner is back on `to`: the actor is hosted there now, in the same generation. */
  adopt(from: RunnerConnection, to: RunnerConnection): boolean {
    if (from !== this.runner) return false
    from.actorIds.delete(this.id)
    this.runner = to
    to.actorIds.add(this.id)
    return true
  }

  /** After `adopt` and the runner's greeting: hibernated sockets resume, waiters get the runner. */
  resumed(connection: RunnerConnection): void {
    if (connection !== this.runner || this.state !== "running") return
    for (const socket of [...this.sockets]) {
      if (socket.hibernating) socket.actorRunning(connection, true)
    }
    for (const waiter of [...this.#waiters]) {
      clearTimeout(waiter.timer)
      this.#waiters.delete(waiter)
      waiter.resolve(connection)
    }
  }

  setAlarm(timestampMs: number | null): void {
    this.#cancelAlarm?.()
    this.#cancelAlarm = timestampMs === null ? undefined : atTime(timestampMs, () => this.wake())
  }

  destroy(): void {
    if (this.#destroyed) return
    this.#destroyed = true
    this.dispose()
    if (this.runner !== null && this.state !== "stopping") this.#sendStop(this.runner)
    if (this.runner !== null) this.runner.actorIds.delete(this.id)
    this.runner = null
    this.state = "stopped"
    for (const socket of [...this.sockets]) socket.destroyed()
    for (const exchange of [...this.exchanges]) exchange.actorGone()
    this.#rejectAll("destroyed")
    this.#emit("destroyed")
  }

  /** Drops timers; used when the gateway stops. */
  dispose(): void {
    this.#cancelAlarm?.()
    for (const waiter of this.#waiters) clearTimeout(waiter.timer)
  }

  get destroyed(): boolean {
    return this.#destroyed
  }

  #tryStart(): void {
    if (this.#destroyed || this.state !== "stopped") return
    if (this.#waiters.size === 0 && !this.#wakeRequested) return
    const connection = this.#host.pickRunner(this)
    if (connection === null) return
    this.generation++
    this.state = "starting"
    this.runner = connection
    connection.actorIds.add(this.id)
    const restoring = capabilities(connection.version).restoreHibernatingOnStart
      ? [...this.sockets].filter((socket) => socket.hibernating)
      : []
    this.#restoring = new Set(restoring)
    this.#emit("starting")
    connection.startActor({
      actorId: this.id,
      generation: this.generation,
      config: {
        name: this.spec.name,
        key: this.spec.key,
        createTs: this.createTs,
        input: this.spec.input,
      },
      hibernating: restoring,
    })
    // After the command: a socket may send its held messages right behind it.
    for (const socket of restoring) socket.restoreOn(connection)
  }

  #stop(rest: "sleeping" | "stopped"): void {
    if (this.runner === null || (this.state !== "running" && this.state !== "starting")) return
    this.state = "stopping"
    this.rest = rest
    this.#emit("stopping")
    for (const socket of [...this.sockets]) socket.actorStopping()
    this.#sendStop(this.runner)
  }

  #sendStop(connection: RunnerConnection): void {
    connection.stopActor(this.id, this.generation)
  }

  #left(rest: "sleeping" | "stopped" | "crashed", runnerLost = false): void {
    this.runner?.actorIds.delete(this.id)
    this.runner = null
    this.state = "stopped"
    this.rest = rest
    this.#restoring = new Set()
    for (const socket of [...this.sockets]) socket.actorGone(runnerLost)
    for (const exchange of [...this.exchanges]) exchange.actorGone()
    this.#emit("stopped")
    if ([...this.sockets].some((socket) => socket.wantsWake)) this.#wakeRequested = true
  }

  #rejectAll(cause: ActorUnavailableError["reason"]): void {
    for (const waiter of [...this.#waiters]) {
      clearTimeout(waiter.timer)
      this.#waiters.delete(waiter)
      waiter.reject(new ActorUnavailableError(this.id, cause))
    }
  }

  #emit(event: "starting" | "running" | "stopping" | "stopped" | "destroyed"): void {
    this.#host.tap.emit(() => ({
      type: "actor",
      event,
      actorId: this.id,
      name: this.spec.name,
      key: this.spec.key,
      generation: this.generation,
      runnerId: this.runner?.runnerId ?? null,
    }))
  }
}
