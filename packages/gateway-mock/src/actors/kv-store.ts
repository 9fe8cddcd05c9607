import type { latest } from "@tunnelwire/protocol/pinned/v3"

interface Stored {
  readonly key: Uint8Array
  readonly value: ArrayBuffer
  readonly metadata: latest.KvMetadata
}

/** One actor's key-value storage, kept in memory for the gateway's lifetime. */
export class KvStore {
  readonly #entries = new Map<string, Stored>()
  #version = 0n

  handle(request: latest.KvRequestData): latest.KvResponseData {
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
    return request.limit === null ? matches : matches.slice(0, Number(request.limit))
  }

  #put(request: latest.KvPutRequest): latest.KvResponseData {
    if (request.keys.length !== request.values.length) {
      const message = `${request.keys.length} keys but ${request.values.length} values`
      return { tag: "KvErrorResponse", val: { message } }
    }
    const createTs = BigInt(Date.now())
    request.keys.forEach((key, i) => {
      this.#version++
      const version = new BigUint64Array([this.#version]).buffer
      this.#entries.set(keyOf(key), {
        key: new Uint8Array(key.slice(0)),
        value: request.values[i]!.slice(0),
        metadata: { version, createTs },
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
