import { KV_LIMITS, type latest } from "@tunnelwire/protocol"
import { describe, expect, it } from "vitest"
import { KvStore } from "../src/actors/kv-store.js"

const sized = (bytes: number, fill = 0x61) => new Uint8Array(bytes).fill(fill).buffer
const keysOf = (count: number) =>
  Array.from({ length: count }, (_, i) => new Uint8Array(Buffer.from(`k${i}`)).buffer)
const all: latest.KvListQuery = { tag: "KvListAllQuery", val: null }

function error(response: latest.KvResponseData): string | null {
  return response.tag === "KvErrorResponse" ? response.val.message : null
}

function put(kv: KvStore, keys: ArrayBuffer[], values: ArrayBuffer[]) {
  return kv.handle({ tag: "KvPutRequest", val: { keys, values } })
}

function listedCount(kv: KvStore, limit: bigint | null): number {
  const response = kv.handle({ tag: "KvListRequest", val: { query: all, reverse: null, limit } })
  if (response.tag !== "KvListResponse") throw new Error(response.tag)
  return response.val.keys.length
}

describe("actor KV limits", () => {
  it("takes exactly the maximum of keys per request and refuses one more, for every request", () => {
    const kv = new KvStore()
    const max = KV_LIMITS.maxKeysPerRequest
    expect(error(put(kv, keysOf(max), keysOf(max)))).toBeNull()
    const over = keysOf(max + 1)
    const message = `${max + 1} keys exceed the limit of ${max} per request`
    expect(error(put(kv, over, over))).toBe(message)
    expect(error(kv.handle({ tag: "KvGetRequest", val: { keys: over } }))).toBe(message)
    expect(error(kv.handle({ tag: "KvDeleteRequest", val: { keys: over } }))).toBe(message)
    // Nothing of a refused request is applied.
    expect(listedCount(kv, null)).toBe(max)
  })

  it("takes a key of the maximum size and refuses a longer one wherever a key is named", () => {
    const kv = new KvStore()
    const max = KV_LIMITS.maxKeyBytes
    expect(error(put(kv, [sized(max)], [sized(1)]))).toBeNull()
    const long = sized(max + 1)
    const message = `a key of ${max + 1} bytes exceeds the limit of ${max}`
    expect(error(put(kv, [sized(1), long], [sized(1), sized(1)]))).toBe(message)
    expect(error(kv.handle({ tag: "KvGetRequest", val: { keys: [long] } }))).toBe(message)
    const prefix: latest.KvListQuery = { tag: "KvListPrefixQuery", val: { key: long } }
    const request = (query: latest.KvListQuery): latest.KvRequestData => ({
      tag: "KvListRequest",
      val: { query, reverse: null, limit: null },
    })
    expect(error(kv.handle(request(prefix)))).toBe(message)
    const range = (start: ArrayBuffer, end: ArrayBuffer): latest.KvListQuery => ({
      tag: "KvListRangeQuery",
      val: { start, end, exclusive: false },
    })
    expect(error(kv.handle(request(range(long, sized(1)))))).toBe(message)
    expect(error(kv.handle(request(range(sized(1), long))))).toBe(message)
    expect(
      error(kv.handle({ tag: "KvDeleteRangeRequest", val: { start: sized(1), end: long } })),
    ).toBe(message)
    expect(
      error(kv.handle({ tag: "KvDeleteRangeRequest", val: { start: long, end: sized(1) } })),
    ).toBe(message)
    expect(error(kv.handle(request(all)))).toBeNull()
  })

  it("takes a value of the maximum size and refuses a larger one, naming which", () => {
    const kv = new KvStore()
    const max = KV_LIMITS.maxValueBytes
    expect(error(put(kv, [sized(1)], [sized(max)]))).toBeNull()
    expect(error(put(kv, keysOf(2), [sized(1), sized(max + 1)]))).toBe(
      `value 1 of ${max + 1} bytes exceeds the limit of ${max}`,
    )
  })

  it("counts keys and values in a put's payload and refuses one over the maximum", () => {
    const kv = new KvStore()
    const value = KV_LIMITS.maxValueBytes
    const max = KV_LIMITS.maxPutPayloadBytes
    // Values fill the payload to 16 bytes under the limit: eight 2-byte keys reach it exactly.
    const values = Array.from({ length: 7 }, () => sized(value))
    const rest = max - 7 * value - 16
    values.push(sized(rest))
    const keysFitting = Array.from({ length: 8 }, (_, i) => sized(2, 0x30 + i))
    expect(error(put(kv, keysFitting, values))).toBeNull()
    const keysOver = Array.from({ length: 8 }, (_, i) => sized(3, 0x30 + i))
    expect(error(put(kv, keysOver, values))).toBe(
      `a put of ${max + 8} bytes exceeds the limit of ${max}`,
    )
  })

  it("lists at most the default limit when none is asked, and the asked limit otherwise", () => {
    const kv = new KvStore()
    const total = KV_LIMITS.listDefaultLimit + 1
    for (let start = 0; start < total; start += KV_LIMITS.maxKeysPerRequest) {
      const keys = Array.from(
        { length: Math.min(KV_LIMITS.maxKeysPerRequest, total - start) },
        (_, i) => new Uint8Array(Buffer.from(`key-${start + i}`)).buffer,
      )
      put(kv, keys, keys)
    }
    expect(listedCount(kv, null)).toBe(KV_LIMITS.listDefaultLimit)
    expect(listedCount(kv, 3n)).toBe(3)
    expect(listedCount(kv, 0n)).toBe(0)
  })
})
