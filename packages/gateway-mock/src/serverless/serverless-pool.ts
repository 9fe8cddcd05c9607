import {
  type ResolvedServerlessConfig,
  resolveServerlessConfig,
  type ServerlessRunnerConfig,
} from "./serverless-config.js"
import { type ServerlessHost, ServerlessRequest } from "./serverless-request.js"

/** Ended requests kept for the admin API, newest last. */
const ENDED_KEPT = 100

/**
 * The serverless runner configs and their `/start` requests. A request starts when an actor that
 * one of these runners may host finds no runner with a free slot (or when the admin API asks):
 * one at a time per config, and at most `maxRunners` running at once.
 */
export class ServerlessPool {
  readonly #host: ServerlessHost
  readonly #configs = new Map<string, ResolvedServerlessConfig>()
  readonly #live = new Set<ServerlessRequest>()
  readonly #ended: ServerlessRequest[] = []

  constructor(host: ServerlessHost, configs: readonly ServerlessRunnerConfig[]) {
    this.#host = host
    for (const config of configs) this.register(config)
  }

  /** Adds or replaces the config of its namespace and runner name; throws `RangeError` on a bad one. */
  register(config: ServerlessRunnerConfig): ResolvedServerlessConfig {
    const resolved = resolveServerlessConfig(config)
    this.#configs.set(configKey(resolved.namespace, resolved.runnerName), resolved)
    return resolved
  }

  configs(): ResolvedServerlessConfig[] {
    return [...this.#configs.values()]
  }

  config(namespace: string, runnerName: string): ResolvedServerlessConfig | undefined {
    return this.#configs.get(configKey(namespace, runnerName))
  }

  /** Live requests, then the most recent ended ones. */
  requests(): ServerlessRequest[] {
    return [...this.#live, ...this.#ended]
  }

  request(requestId: string): ServerlessRequest | undefined {
    return this.requests().find((request) => request.id === requestId)
  }

  /** The live request whose init event named `runnerId`. */
  requestOfRunner(runnerId: string): ServerlessRequest | undefined {
    for (const request of this.#live) if (request.runnerId === runnerId) return request
    return undefined
  }

  /** An actor found no runner: start one where a serverless config may host it. */
  demand(namespace: string, runnerName: string | null): void {
    const config =
      runnerName === null
        ? this.configs().find((candidate) => candidate.namespace === namespace)
        : this.config(namespace, runnerName)
    if (config === undefined) return
    const live = [...this.#live].filter((request) => request.config === config)
    if (live.some((request) => request.state === "starting")) return
    if (live.filter((request) => request.state === "running").length >= config.maxRunners) return
    this.#start(config)
  }

  /** Starts a request now; throws `RangeError` when no such config exists. */
  start(namespace: string, runnerName: string): ServerlessRequest {
    const config = this.config(namespace, runnerName)
    if (config === undefined)
      throw new RangeError(`no serverless runner ${runnerName} in namespace ${namespace}`)
    return this.#start(config)
  }

  dispose(): void {
    for (const request of [...this.#live]) request.dispose()
  }

  #start(config: ResolvedServerlessConfig): ServerlessRequest {
    const request = new ServerlessRequest(config, this.#host, (ended) => this.#retire(ended))
    this.#live.add(request)
    request.start()
    return request
  }

  #retire(request: ServerlessRequest): void {
    this.#live.delete(request)
    this.#ended.push(request)
    if (this.#ended.length > ENDED_KEPT) this.#ended.shift()
  }
}

function configKey(namespace: string, runnerName: string): string {
  return `${namespace}/${runnerName}`
}
