import { capabilities, type v7 } from "@tunnelwire/protocol"
import { toArrayBuffer } from "./tunnel/request.js"

export class KvError extends Error {
  override name = "KvError"
}

/** Why the gateway gave this runner up, so its pending KV requests will never be answered. */
export type RunnerLostReason = "thresholdPassed" | "runnerReplaced"

/**
 * A KV request abandoned because the gateway gave this runner up: it stayed disconnected past the
 * runner lost threshold, or came back under a different runner id. Its actor is force-stopped.
 */
export class RunnerLostError extends KvError {
  override name = "RunnerLostError"
  readonly reason: RunnerLostReason
  readonly actorId: string
  /** The KV request kind, such as `KvGetRequest`. */
  readonly operation: string

  constructor(reason: RunnerLostReason, request: { actorId: string; operation: string }) {
    const why =
      reason === "thresholdPassed"
        ? "the runner stayed disconnected past its runner lost threshold"
        : "the gateway accepted the runner under a new runner id"
    super(`KV ${request.operation} for actor ${request.actorId} abandoned: ${why}`)
    this.reason = reason
    this.actorId = request.actorId
    this.operation = request.operation
  }
}

export interface KvEntry {
  readonly key: Uint8Array
  readonly value: Uint8Array
  /** `createTs` is the entry's last write time (v4+ name it `updateTs`; the same bytes). */
  readonly metadata: { readonly version: Uint8Array; readonly createTs: number }
}

export interface KvListOptions {
  readonly reverse?: boolean
  readonly limit?: number
}

/** An actor's key-value storage at the gateway. Keys and values are bytes. */
export interface ActorKv {
  /** The value of each key, `null` where there is none, in the order asked. */
  get(keys: readonly Uint8Array[]): Promise<Array<Uint8Array | null>>
  listAll(options?: KvListOptions): Promise<KvEntry[]>
  listRange(
    start: Uint8Array,
    end: Uint8Array,
    options?: KvListOptions & { readonly exclusive?: boolean },
  ): Promise<KvEntry[]>
  listPrefix(prefix: Uint8Array, options?: KvListOptions): Promise<KvEntry[]>
  put(entries: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): Promise<void>
  delete(keys: readonly Uint8Array[]): Promise<void>
  /** Deletes every key in `[start, end)`; nothing when `start ≥ end`. Protocol v7+ only. */
  deleteRange(start: Uint8Array, end: Uint8Array): Promise<void>
  /** Deletes every key of the actor. */
  drop(): Promise<void>
}

interface PendingRequest {
  readonly message: v7.ToServerKvRequest
  readonly resolve: (data: v7.KvResponseData) => void
  readonly reject: (error: Error) => void
  readonly timer: NodeJS.Timeout
}

export interface KvClientOptions {
  readonly timeoutMs: number
  /** The connection's protocol version, for the operations it lacks. */
  readonly version: number
  /** Sends a request if connected; returns whether it did. */
  readonly send: (request: v7.ToServerKvRequest) => boolean
}

const U32 = 0x1_0000_0000

/**
 * KV requests by id. A request waits for its response up to the timeout; one not answered when
 * the connection is lost goes out again after the reconnect (every KV operation is idempotent).
 */
export class KvClient {
  readonly #options: KvClientOptions
  readonly #pending = new Map<number, PendingRequest>()
  #nextId = 0

  constructor(options: KvClientOptions) {
    this.#options = options
  }

  forActor(actorId: string): ActorKv {
    const request = (data: v7.KvRequestData) => this.#request(actorId, data)
    const list = async (query: v7.KvListQuery, options: KvListOptions = {}) => {
      const response = await request({
        tag: "KvListRequest",
        val: {
          query,
          reverse: options.reverse ?? null,
          limit: options.limit === undefined ? null : BigInt(options.limit),
        },
      })
      if (response.tag !== "KvListResponse") throw unexpected(response)
      return entries(response.val)
    }
    return {
      get: async (keys) => {
        const response = await request({
          tag: "KvGetRequest",
          val: { keys: keys.map(toArrayBuffer) },
        })
        if (response.tag !== "KvGetResponse") throw unexpected(response)
        const found = new Map(
          response.val.keys.map((key, i) => [hex(key), response.val.values[i] ?? null]),
        )
        return keys.map((key) => {
          const value = found.get(Buffer.from(key).toString("hex"))
          return value === undefined || value === null ? null : new Uint8Array(value)
        })
      },
      listAll: (options) => list({ tag: "KvListAllQuery", val: null }, options),
      listRange: (start, end, options) =>
        list(
          {
            tag: "KvListRangeQuery",
            val: {
              start: toArrayBuffer(start),
              end: toArrayBuffer(end),
              exclusive: options?.exclusive ?? false,
            },
          },
          options,
        ),
      listPrefix: (prefix, options) =>
        list({ tag: "KvListPrefixQuery", val: { key: toArrayBuffer(prefix) } }, options),
      put: async (pairs) => {
        const response = await request({
          tag: "KvPutRequest",
          val: {
            keys: pairs.map(([key]) => toArrayBuffer(key)),
            values: pairs.map(([, value]) => toArrayBuffer(value)),
          },
        })
        if (response.tag !== "KvPutResponse") throw unexpected(response)
      },
      delete: async (keys) => {
        const response = await request({
          tag: "KvDeleteRequest",
          val: { keys: keys.map(toArrayBuffer) },
        })
        if (response.tag !== "KvDeleteResponse") throw unexpected(response)
      },
      deleteRange: async (start, end) => {
        if (!capabilities(this.#options.version).kvDeleteRange) {
          throw new KvError(`protocol v${this.#options.version} has no KV delete-range (v7+)`)
        }
        const response = await request({
          tag: "KvDeleteRangeRequest",
          val: { start: toArrayBuffer(start), end: toArrayBuffer(end) },
        })
        if (response.tag !== "KvDeleteResponse") throw unexpected(response)
      },
      drop: async () => {
        const response = await request({ tag: "KvDropRequest", val: null })
        if (response.tag !== "KvDropResponse") throw unexpected(response)
      },
    }
  }

  response(message: v7.ToClientKvResponse): void {
    const pending = this.#pending.get(message.requestId)
    if (pending === undefined) return
    this.#settle(message.requestId)
    if (message.data.tag === "KvErrorResponse")
      pending.reject(new KvError(message.data.val.message))
    else pending.resolve(message.data)
  }

  /** After a reconnect: every request still waiting goes out again. */
  resend(): void {
    for (const pending of this.#pending.values()) this.#options.send(pending.message)
  }

  /** Rejects every request still waiting with the error `reason` makes for it. */
  rejectAll(reason: (request: { actorId: string; operation: string }) => Error): void {
    for (const [id, pending] of [...this.#pending]) {
      this.#settle(id)
      const { actorId, data } = pending.message
      pending.reject(reason({ actorId, operation: data.tag }))
    }
  }

  #request(actorId: string, data: v7.KvRequestData): Promise<v7.KvResponseData> {
    const requestId = this.#nextId
    this.#nextId = (this.#nextId + 1) % U32
    const message: v7.ToServerKvRequest = { actorId, requestId, data }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle(requestId)
        reject(new KvError(`KV ${data.tag} timed out after ${this.#options.timeoutMs} ms`))
      }, this.#options.timeoutMs)
      this.#pending.set(requestId, { message, resolve, reject, timer })
      this.#options.send(message)
    })
  }

  #settle(requestId: number): void {
    const pending = this.#pending.get(requestId)
    if (pending === undefined) return
    clearTimeout(pending.timer)
    this.#pending.delete(requestId)
  }
}

function entries(response: v7.KvListResponse): KvEntry[] {
  return response.keys.map((key, i) => {
    const metadata = response.metadata[i]
    return {
      key: new Uint8Array(key),
      value: new Uint8Array(response.values[i] ?? new ArrayBuffer(0)),
      metadata: {
        version: new Uint8Array(metadata?.version ?? new ArrayBuffer(0)),
        createTs: Number(metadata?.updateTs ?? 0n),
      },
    }
  })
}

function hex(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString("hex")
}

function unexpected(response: v7.KvResponseData): KvError {
  return new KvError(`unexpected KV response ${response.tag}`)
}
