import type { latest } from "@tunnelwire/protocol"
import { describe, expect, it } from "vitest"
import { KvStore } from "../src/actors/kv-store.js"

const bytes = (values: number[]) => Uint8Array.from(values).buffer
const hex = (value: ArrayBuffer) => Buffer.from(value).toString("hex")
const all: latest.KvListRequest = {
  query: { tag: "KvListAllQuery", val: null },
  reverse: null,
  limit: null,
}

function list(kv: KvStore): latest.KvGetResponse {
  const response = kv.handle({ tag: "KvListRequest", val: all })
  if (response.tag !== "KvListResponse") throw new Error(response.tag)
  return response.val
}

function seeded(keys: number[][]): KvStore {
  const kv = new KvStore()
  kv.handle({ tag: "KvPutRequest", val: { keys: keys.map(bytes), values: keys.map(bytes) } })
  return kv
}

describe("actor KV writes", () => {
  it("deletes a range from its start up to, not including, its end", () => {
    const kv = seeded([[0x01], [0x02], [0x02, 0x00], [0x03], [0x04]])
    const response = kv.handle({
      tag: "KvDeleteRangeRequest",
      val: { start: bytes([0x02]), end: bytes([0x03]) },
    })
    expect(response).toEqual({ tag: "KvDeleteResponse", val: null })
    expect(list(kv).keys.map(hex)).toEqual(["01", "03", "04"])
  })

  it("deletes nothing for a range whose start is not below its end", () => {
    const kv = seeded([[0x01], [0x02], [0x03]])
    kv.handle({ tag: "KvDeleteRangeRequest", val: { start: bytes([0x02]), end: bytes([0x02]) } })
    kv.handle({ tag: "KvDeleteRangeRequest", val: { start: bytes([0x03]), end: bytes([0x01]) } })
    expect(list(kv).keys.map(hex)).toEqual(["01", "02", "03"])
  })

  it("answers each request with its own response tag", () => {
    const kv = new KvStore()
    const key = bytes([1])
    expect(kv.handle({ tag: "KvPutRequest", val: { keys: [key], values: [key] } })).toEqual({
      tag: "KvPutResponse",
      val: null,
    })
    expect(kv.handle({ tag: "KvDeleteRequest", val: { keys: [key] } })).toEqual({
      tag: "KvDeleteResponse",
      val: null,
    })
    expect(kv.handle({ tag: "KvDropRequest", val: null })).toEqual({
      tag: "KvDropResponse",
      val: null,
    })
    expect(kv.handle({ tag: "KvGetRequest", val: { keys: [key] } })).toEqual({
      tag: "KvGetResponse",
      val: { keys: [], values: [], metadata: [] },
    })
  })

  it("gives every written key a new, growing version and the write time", () => {
    const kv = new KvStore()
    const before = Date.now()
    kv.handle({
      tag: "KvPutRequest",
      val: { keys: [bytes([1]), bytes([2])], values: [bytes([0]), bytes([0])] },
    })
    kv.handle({ tag: "KvPutRequest", val: { keys: [bytes([1])], values: [bytes([9])] } })
    const after = Date.now()
    const { keys, values, metadata } = list(kv)
    expect(keys.map(hex)).toEqual(["01", "02"])
    expect(values.map(hex)).toEqual(["09", "00"])
    const versions = metadata.map((m) => new BigUint64Array(m.version)[0])
    expect(versions).toEqual([3n, 2n])
    for (const { updateTs } of metadata) {
      expect(Number(updateTs)).toBeGreaterThanOrEqual(before)
      expect(Number(updateTs)).toBeLessThanOrEqual(after)
    }
  })

  it("keeps its own copy of keys and values: later changes to the request's buffers do not leak in", () => {
    const key = new Uint8Array([1])
    const value = new Uint8Array([7])
    const kv = new KvStore()
    kv.handle({ tag: "KvPutRequest", val: { keys: [key.buffer], values: [value.buffer] } })
    key[0] = 9
    value[0] = 9
    const got = kv.handle({ tag: "KvGetRequest", val: { keys: [bytes([1])] } })
    expect(got.tag === "KvGetResponse" && got.val.values.map(hex)).toEqual(["07"])
    // A listed key is a copy too: the caller may keep or change it.
    const listed = list(kv).keys[0]!
    new Uint8Array(listed)[0] = 5
    expect(list(kv).keys.map(hex)).toEqual(["01"])
  })

  it("gets the value and metadata of each key found, in the order asked", () => {
    const kv = seeded([[1], [2], [3]])
    const got = kv.handle({
      tag: "KvGetRequest",
      val: { keys: [bytes([3]), bytes([9]), bytes([1])] },
    })
    if (got.tag !== "KvGetResponse") throw new Error(got.tag)
    expect(got.val.keys.map(hex)).toEqual(["03", "01"])
    expect(got.val.values.map(hex)).toEqual(["03", "01"])
    expect(got.val.metadata.map((m) => new BigUint64Array(m.version)[0])).toEqual([3n, 1n])
  })
})
