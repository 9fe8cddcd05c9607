import { latest, RunnerClose } from "@tunnelwire/protocol/pinned/v3"
import type { ActorConfig, ActorStopInfo, ActorStopReason, RunnerHandlers } from "./config.js"
import type { Logger } from "./logger.js"
import type { ActorDirectory, ActorPhase, Tunnel } from "./tunnel/tunnel.js"

interface ActorRecord {
  readonly actorId: string
  readonly generation: number
  phase: ActorPhase
  /** Tunnel work that waits for the actor to finish starting, in arrival order. */
  deferred: Array<() => void>
  /** This actor's commands, one after another. */
  chain: Promise<void>
  /** The gateway no longer knows this actor (it accepted the runner under a new id): report nothing. */
  forgotten: boolean
}

export interface ActorHostOptions {
  readonly handlers: RunnerHandlers
  readonly logger: Logger
  readonly tunnel: Pick<Tunnel, "expectRestore" | "restore" | "settle" | "closeActor">
  /** Raises an event for the gateway (state updates, intents, alarms). */
  readonly emit: (event: latest.Event) => void
}

/**
 * The actors this runner hosts and their lifecycle: start (reported running only once the
 * start hook resolved and hibernating sockets are restored), stop, and the events they raise.
 * Commands for one actor run one after another.
 */
export class ActorHost implements ActorDirectory {
  readonly #options: ActorHostOptions
  readonly #actors = new Map<string, ActorRecord>()
  #idleWaiters: Array<() => void> = []

  constructor(options: ActorHostOptions) {
    this.#options = options
  }

  phase(actorId: string): ActorPhase | undefined {
    return this.#actors.get(actorId)?.phase
  }

  defer(actorId: string, task: () => void): void {
    const record = this.#actors.get(actorId)
    if (record?.phase === "starting") record.deferred.push(task)
    else task()
  }

  command(command: latest.Command): void {
    if (command.tag === "CommandStartActor") this.#start(command.val)
    else this.#stopCommand(command.val)
  }

  /** Raises an intent (sleep or stop) for a hosted actor; the gateway answers with a stop command. */
  intent(actorId: string, intent: latest.ActorIntent): void {
    const record = this.#hosted(actorId)
    const { generation } = record
    this.#report(record, { tag: "EventActorIntent", val: { actorId, generation, intent } })
  }

  /** Asks the gateway to wake the actor at `timestamp` (ms since the epoch), or clears the alarm. */
  setAlarm(actorId: string, timestamp: number | null): void {
    const record = this.#hosted(actorId)
    const { generation } = record
    const alarmTs = timestamp === null ? null : BigInt(Math.round(timestamp))
    this.#report(record, { tag: "EventActorSetAlarm", val: { actorId, generation, alarmTs } })
  }

  has(actorId: string): boolean {
    return this.#actors.has(actorId)
  }

  /** Resolves once no actor is hosted. */
  whenIdle(): Promise<void> {
    if (this.#actors.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  /**
   * Stops every actor still hosted without a command from the gateway (the stop hook is told it
   * is forced). After `runnerReplaced` the gateway no longer knows them: nothing about them is
   * reported to it any more. Resolves once every stop finished.
   */
  forceStopAll(reason: Exclude<ActorStopReason, "gateway">): Promise<void> {
    const stops = [...this.#actors.values()].map((record) => {
      if (reason === "runnerReplaced") record.forgotten = true
      record.chain = record.chain.then(() => this.#stop(record, { forced: true, reason }))
      return record.chain
    })
    return Promise.all(stops).then(() => {})
  }

  #start(command: latest.CommandStartActor): void {
    const { actorId, generation, config, hibernatingRequestIds } = command
    const previous = this.#actors.get(actorId)
    if (previous?.generation === generation && !previous.forgotten) {
      this.#options.logger.warn({ actorId, generation }, "actor already started; ignored")
      return
    }
    if (previous !== undefined) {
      this.#options.logger.warn(
        { actorId, generation },
        "new generation; stopping the old one first",
      )
      previous.chain = previous.chain
        .then(() => this.#stop(previous, { forced: false, reason: "gateway" }))
        .then(() => this.#start(command))
      return
    }
    const record: ActorRecord = {
      actorId,
      generation,
      phase: "starting",
      deferred: [],
      chain: Promise.resolve(),
      forgotten: false,
    }
    this.#actors.set(actorId, record)
    this.#options.tunnel.expectRestore(actorId, hibernatingRequestIds)
    record.chain = this.#run(record, toActorConfig(config), hibernatingRequestIds)
  }

  async #run(
    record: ActorRecord,
    config: ActorConfig,
    hibernatingRequestIds: readonly ArrayBuffer[],
  ): Promise<void> {
    const { actorId, generation } = record
    const { handlers, logger, tunnel } = this.#options
    try {
      await handlers.onActorStart(actorId, generation, config)
    } catch (error) {
      logger.error({ actorId, generation, err: String(error) }, "actor failed to start")
      this.#remove(record)
      this.#release(record)
      await tunnel.closeActor(actorId, RunnerClose.actorStopped)
      this.#emitState(record, {
        tag: "ActorStateStopped",
        val: stopped(latest.StopCode.Error, error),
      })
      return
    }
    try {
      await tunnel.restore(actorId, hibernatingRequestIds)
    } catch (error) {
      logger.error({ actorId, err: String(error) }, "restoring hibernating sockets failed")
    }
    record.phase = "running"
    logger.info({ actorId, generation }, "actor running")
    this.#emitState(record, { tag: "ActorStateRunning", val: null })
    this.#release(record)
  }

  #stopCommand(command: latest.CommandStopActor): void {
    const record = this.#actors.get(command.actorId)
    if (record === undefined || record.generation !== command.generation) {
      this.#options.logger.warn(
        { actorId: command.actorId, generation: command.generation },
        "stop for an actor generation not hosted; ignored",
      )
      return
    }
    record.chain = record.chain.then(() => this.#stop(record, { forced: false, reason: "gateway" }))
  }

  async #stop(record: ActorRecord, info: ActorStopInfo): Promise<void> {
    if (this.#actors.get(record.actorId) !== record || record.phase === "stopping") return
    record.phase = "stopping"
    const { actorId, generation } = record
    let state = stopped(latest.StopCode.Ok, null)
    // What the gateway sent before the stop reaches the actor, and its index is saved, first.
    await this.#options.tunnel.settle(actorId)
    try {
      await this.#options.handlers.onActorStop(actorId, generation, info)
    } catch (error) {
      this.#options.logger.error(
        { actorId, generation, err: String(error) },
        "actor stop hook threw",
      )
      state = stopped(latest.StopCode.Error, error)
    }
    // Sockets stay usable during the stop hook (for goodbyes); whatever is still open leaves now.
    await this.#options.tunnel.closeActor(actorId, RunnerClose.actorStopped)
    this.#remove(record)
    this.#emitState(record, { tag: "ActorStateStopped", val: state })
    this.#options.logger.info({ actorId, generation, ...info }, "actor stopped")
  }

  #release(record: ActorRecord): void {
    const deferred = record.deferred
    record.deferred = []
    for (const task of deferred) task()
  }

  #remove(record: ActorRecord): void {
    if (this.#actors.get(record.actorId) === record) this.#actors.delete(record.actorId)
    if (this.#actors.size > 0) return
    const waiters = this.#idleWaiters
    this.#idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  #emitState(record: ActorRecord, state: latest.ActorState): void {
    const { actorId, generation } = record
    this.#report(record, { tag: "EventActorStateUpdate", val: { actorId, generation, state } })
  }

  #report(record: ActorRecord, event: latest.Event): void {
    if (!record.forgotten) this.#options.emit(event)
  }

  #hosted(actorId: string): ActorRecord {
    const record = this.#actors.get(actorId)
    if (record === undefined) throw new Error(`actor ${actorId} is not hosted by this runner`)
    return record
  }
}

function toActorConfig(config: latest.ActorConfig): ActorConfig {
  return {
    name: config.name,
    key: config.key,
    createTs: Number(config.createTs),
    input: config.input === null ? null : new Uint8Array(config.input),
  }
}

function stopped(code: latest.StopCode, error: unknown): latest.ActorStateStopped {
  const message = error === null ? null : error instanceof Error ? error.message : String(error)
  return { code, message }
}
