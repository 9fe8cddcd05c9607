import type { latest } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { KvStore } from "../src/actors/kv-store.js"

const key = (value: string) => new Uint8Array(Buffer.from(value)).buffer
const str = (value: ArrayBuffer) => Buffer.from(value).toString()

function seeded(): KvStore {
  const kv = new KvStore()
  const keys = ["a", "b", "ba", "bb", "c"]
  kv.handle({
    tag: "KvPutRequest",
    val: { keys: keys.map(key), values: keys.map((k) => key(`v-${k}`)) },
  })
  return kv
}

function listed(kv: KvStore, val: latest.KvListRequest): string[] {
  const response = kv.handle({ tag: "KvListRequest", val })
  if (response.tag !== "KvListResponse") throw new Error(response.tag)
  return response.val.keys.map(str)
}

describe("actor KV", () => {
  it("gets what was put, skipping missing keys", () => {
    const response = seeded().handle({ tag: "KvGetRequest", val: { keys: [key("b"), key("z")] } })
    expect(response.tag === "KvGetResponse" && response.val.values.map(str)).toEqual(["v-b"])
  })

  it("lists by prefix, by range (end inclusive or not), reversed and limited", () => {
    const kv = seeded()
    const all: latest.KvListQuery = { tag: "KvListAllQuery", val: null }
    expect(listed(kv, { query: all, reverse: null, limit: null })).toEqual([
      "a",
      "b",
      "ba",
      "bb",
      "c",
    ])
    expect(
      listed(kv, {
        query: { tag: "KvListPrefixQuery", val: { key: key("b") } },
        reverse: true,
        limit: 2n,
      }),
    ).toEqual(["bb", "ba"])
    const range = (exclusive: boolean): latest.KvListQuery => ({
      tag: "KvListRangeQuery",
      val: { start: key("b"), end: key("bb"), exclusive },
    })
    expect(listed(kv, { query: range(true), reverse: null, limit: null })).toEqual(["b", "ba"])
    expect(listed(kv, { query: range(false), reverse: null, limit: null })).toEqual([
      "b",
      "ba",
      "bb",
    ])
  })

  it("deletes and drops", () => {
    const kv = seeded()
    kv.handle({ tag: "KvDeleteRequest", val: { keys: [key("a")] } })
    const all: latest.KvListRequest = {
      query: { tag: "KvListAllQuery", val: null },
      reverse: null,
      limit: null,
    }
    expect(listed(kv, all)).toEqual(["b", "ba", "bb", "c"])
    kv.handle({ tag: "KvDropRequest", val: null })
    expect(listed(kv, all)).toEqual([])
  })

  it("refuses a put whose keys and values do not pair up", () => {
    const response = new KvStore().handle({
      tag: "KvPutRequest",
      val: { keys: [key("a")], values: [] },
    })
    expect(response.tag).toBe("KvErrorResponse")
  })
})
