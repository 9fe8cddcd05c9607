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

const bytes = (values: number[]) => Uint8Array.from(values).buffer

function listedHex(kv: KvStore, val: latest.KvListRequest): string[] {
  const response = kv.handle({ tag: "KvListRequest", val })
  if (response.tag !== "KvListResponse") throw new Error(response.tag)
  return response.val.keys.map((k) => Buffer.from(k).toString("hex"))
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

  it("lists keys inserted out of order in byte order, high bytes and prefixes included, and exactly reversed", () => {
    const kv = new KvStore()
    // Neither sorted nor reverse sorted; 0x80 and above sort after ASCII, a prefix before its
    // extensions.
    const inserted = [
      [0x62, 0x61],
      [0xff],
      [0x62],
      [0x80, 0x00],
      [0x00],
      [0x62, 0x80],
      [0x80],
      [0x61],
    ]
    kv.handle({
      tag: "KvPutRequest",
      val: { keys: inserted.map(bytes), values: inserted.map(bytes) },
    })
    const hexes = (val: latest.KvListRequest) => listedHex(kv, val)
    const both = (query: latest.KvListQuery, expected: string[]) => {
      expect(hexes({ query, reverse: null, limit: null })).toEqual(expected)
      expect(hexes({ query, reverse: false, limit: null })).toEqual(expected)
      expect(hexes({ query, reverse: true, limit: null })).toEqual([...expected].reverse())
    }
    both({ tag: "KvListAllQuery", val: null }, [
      "00",
      "61",
      "62",
      "6261",
      "6280",
      "80",
      "8000",
      "ff",
    ])
    both({ tag: "KvListPrefixQuery", val: { key: bytes([0x62]) } }, ["62", "6261", "6280"])
    both({ tag: "KvListPrefixQuery", val: { key: bytes([0x80]) } }, ["80", "8000"])
    const range = (exclusive: boolean): latest.KvListQuery => ({
      tag: "KvListRangeQuery",
      val: { start: bytes([0x62, 0x61]), end: bytes([0x80, 0x00]), exclusive },
    })
    both(range(false), ["6261", "6280", "80", "8000"])
    both(range(true), ["6261", "6280", "80"])
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
    expect(response).toEqual({
      tag: "KvErrorResponse",
      val: { message: "1 keys but 0 values" },
    })
    // Fewer keys than values: refused the same way, not a crash on the missing key.
    const fewer = new KvStore().handle({
      tag: "KvPutRequest",
      val: { keys: [key("a")], values: [key("1"), key("2")] },
    })
    expect(fewer).toEqual({ tag: "KvErrorResponse", val: { message: "1 keys but 2 values" } })
  })
})
