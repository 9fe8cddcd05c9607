import type { latest } from "@tunnelwire/protocol/pinned/v3"

/** The fake gateway's KV store: per actor, keys ordered bytewise. */
export class FakeKv {
  readonly #actors = new Map<string, Map<string, ArrayBuffer>>()

  handle(request: latest.ToServerKvRequest): latest.KvResponseData {
    const store = this.#store(request.actorId)
    const data = request.data
    switch (data.tag) {
      case "KvGetRequest": {
        const found = data.val.keys.filter((key) => store.has(hex(key)))
        return {
          tag: "KvGetResponse",
          val: {
            keys: found,
            values: found.map((key) => store.get(hex(key))!),
            metadata: found.map(() => metadata()),
          },
        }
      }
      case "KvListRequest": {
        let keys = [...store.keys()].sort().filter((key) => matches(key, data.val.query))
        if (data.val.reverse === true) keys.reverse()
        if (data.val.limit !== null) keys = keys.slice(0, Number(data.val.limit))
        return {
          tag: "KvListResponse",
          val: {
            keys: keys.map(fromHex),
            values: keys.map((key) => store.get(key)!),
            metadata: keys.map(() => metadata()),
          },
        }
      }
      case "KvPutRequest":
        if (data.val.keys.some((key) => new TextDecoder().decode(key) === "forbidden")) {
          return { tag: "KvErrorResponse", val: { message: "key forbidden" } }
        }
        data.val.keys.forEach((key, i) => {
          store.set(hex(key), data.val.values[i]!)
        })
        return { tag: "KvPutResponse", val: null }
      case "KvDeleteRequest":
        for (const key of data.val.keys) store.delete(hex(key))
        return { tag: "KvDeleteResponse", val: null }
      case "KvDropRequest":
        store.clear()
        return { tag: "KvDropResponse", val: null }
    }
  }

  #store(actorId: string): Map<string, ArrayBuffer> {
    const store = this.#actors.get(actorId) ?? new Map<string, ArrayBuffer>()
    this.#actors.set(actorId, store)
    return store
  }
}

function matches(key: string, query: latest.KvListQuery): boolean {
  switch (query.tag) {
    case "KvListAllQuery":
      return true
    case "KvListPrefixQuery":
      return key.startsWith(hex(query.val.key))
    case "KvListRangeQuery": {
      const start = hex(query.val.start)
      const end = hex(query.val.end)
      return key >= start && (query.val.exclusive ? key < end : key <= end)
    }
  }
}

function metadata(): latest.KvMetadata {
  return { version: new Uint8Array([1]).buffer, createTs: 1_700_000_000_000n }
}

function hex(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString("hex")
}

function fromHex(text: string): ArrayBuffer {
  const bytes = Buffer.from(text, "hex")
  return new Uint8Array(bytes).buffer
}
