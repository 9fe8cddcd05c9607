import { KV_LIMITS, type latest } from "@tunnelwire/protocol"

interface Stored {
  readonly key: Uint8Array
  readonly value: ArrayBuffer
  readonly metadata: latest.KvMetadata
}

/**
 * One actor's key-value storage, kept in memory for the gateway's lifetime. Requests over Rivet's
 * limits (`KV_LIMITS`: key and value size, keys per request, put payload) get a
 * `KvErrorResponse` naming the limit, as the engine answers them.
 */
export class KvStore {
  readonly #entries = new Map<string, Stored>()
  #version = 0n

  handle(request: latest.KvRequestData): latest.KvResponseData {
    const problem = limitProblem(request)
    if (problem !== null) return { tag: "KvErrorResponse", val: { message: problem } }
    switch (request.tag) {
      case "KvGetRequest":
        return { tag: "KvGetResponse", val: this.#pack(this.#get(request.val.keys)) }
      case "KvListRequest":
        return { tag: "KvListResponse", val: this.#pack(this.#list(request.val)) }
      case "KvPutRequest":
        return this.#put(request.val)
      case "KvDeleteRequest":
        for (const key of request.val.keys) this.#entries.delete(keyOf(key))
        return { tag: "KvDeleteResponse", val: null }
      case "KvDeleteRangeRequest":
        this.#deleteRange(request.val)
        return { tag: "KvDeleteResponse", val: null }
      case "KvDropRequest":
        this.#entries.clear()
        return { tag: "KvDropResponse", val: null }
    }
  }

  #get(keys: readonly ArrayBuffer[]): Stored[] {
    return keys.flatMap((key) => this.#entries.get(keyOf(key)) ?? [])
  }

  #list(request: latest.KvListRequest): Stored[] {
    const query = request.query
    const matches = [...this.#entries.values()]
      .filter((entry) => matchesQuery(entry.key, query))
      .sort((a, b) => compare(a.key, b.key))
    if (request.reverse === true) matches.reverse()
    const limit = request.limit === null ? KV_LIMITS.listDefaultLimit : Number(request.limit)
    return matches.slice(0, limit)
  }

  /** v7: deletes keys in `[start, end)`; `start ≥ end` deletes nothing. */
  #deleteRange(request: latest.KvDeleteRangeRequest): void {
    const start = new Uint8Array(request.start)
    const end = new Uint8Array(request.end)
    for (const [id, entry] of this.#entries) {
      if (compare(entry.key, start) >= 0 && compare(entry.key, end) < 0) this.#entries.delete(id)
    }
  }

  #put(request: latest.KvPutRequest): latest.KvResponseData {
    if (request.keys.length !== request.values.length) {
      const message = `${request.keys.length} keys but ${request.values.length} values`
      return { tag: "KvErrorResponse", val: { message } }
    }
    const updateTs = BigInt(Date.now())
    request.keys.forEach((key, i) => {
      this.#version++
      const version = new BigUint64Array([this.#version]).buffer
      this.#entries.set(keyOf(key), {
        key: new Uint8Array(key.slice(0)),
        value: request.values[i]!.slice(0),
        metadata: { version, updateTs },
      })
    })
    return { tag: "KvPutResponse", val: null }
  }

  #pack(entries: Stored[]): latest.KvGetResponse {
    return {
      keys: entries.map((entry) => entry.key.slice().buffer),
      values: entries.map((entry) => entry.value),
      metadata: entries.map((entry) => entry.metadata),
    }
  }
}

/** Why a request exceeds Rivet's KV limits, or null. */
function limitProblem(request: latest.KvRequestData): string | null {
  const keys = requestKeys(request)
  if (keys.length > KV_LIMITS.maxKeysPerRequest)
    return `${keys.length} keys exceed the limit of ${KV_LIMITS.maxKeysPerRequest} per request`
  for (const key of keys) {
    if (key.byteLength > KV_LIMITS.maxKeyBytes)
      return `a key of ${key.byteLength} bytes exceeds the limit of ${KV_LIMITS.maxKeyBytes}`
  }
  if (request.tag !== "KvPutRequest") return null
  let payload = 0
  for (const [i, value] of request.val.values.entries()) {
    if (value.byteLength > KV_LIMITS.maxValueBytes)
      return `value ${i} of ${value.byteLength} bytes exceeds the limit of ${KV_LIMITS.maxValueBytes}`
    payload += value.byteLength + (request.val.keys[i]?.byteLength ?? 0)
  }
  if (payload > KV_LIMITS.maxPutPayloadBytes)
    return `a put of ${payload} bytes exceeds the limit of ${KV_LIMITS.maxPutPayloadBytes}`
  return null
}

function requestKeys(request: latest.KvRequestData): readonly ArrayBuffer[] {
  switch (request.tag) {
    case "KvGetRequest":
    case "KvPutRequest":
    case "KvDeleteRequest":
      return request.val.keys
    case "KvDeleteRangeRequest":
      return [request.val.start, request.val.end]
    case "KvListRequest":
      return request.val.query.tag === "KvListAllQuery"
        ? []
        : request.val.query.tag === "KvListPrefixQuery"
          ? [request.val.query.val.key]
          : [request.val.query.val.start, request.val.query.val.end]
    case "KvDropRequest":
      return []
  }
}

function keyOf(key: ArrayBuffer): string {
  return Buffer.from(key).toString("hex")
}

function compare(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b)
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  return key.length >= prefix.length && compare(key.subarray(0, prefix.length), prefix) === 0
}

function matchesQuery(key: Uint8Array, query: latest.KvListQuery): boolean {
  switch (query.tag) {
    case "KvListAllQuery":
      return true
    case "KvListPrefixQuery":
      return startsWith(key, new Uint8Array(query.val.key))
    case "KvListRangeQuery": {
      const end = compare(key, new Uint8Array(query.val.end))
      const inclusiveEnd = !query.val.exclusive
      return (
        compare(key, new Uint8Array(query.val.start)) >= 0 && (inclusiveEnd ? end <= 0 : end < 0)
      )
    }
  }
}
