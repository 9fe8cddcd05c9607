import { idKey } from "@tunnelwire/protocol"
import { describe, expect, it } from "vitest"
import { RequestTable, ShortIds, TunnelIndex } from "../src/runners/request-table.js"

const shortId = (n: number) => {
  const bytes = new ArrayBuffer(4)
  new DataView(bytes).setUint32(0, n)
  return bytes
}

const request = (key: string, short: number, label = key) => ({
  key,
  requestId: new ArrayBuffer(16),
  shortId: shortId(short),
  label,
})

describe("the live request table", () => {
  it("finds a request by either family's id until it is removed", () => {
    const table = new RequestTable<ReturnType<typeof request>>()
    const a = request("aa", 1)
    const b = request("bb", 2)
    table.add(a)
    table.add(b)
    expect(table.get("aa")).toBe(a)
    expect(table.has("bb")).toBe(true)
    expect(table.byShortId(shortId(2))).toBe(b)
    expect(table.hasShortId(shortId(1))).toBe(true)
    expect(table.size).toBe(2)
    expect([...table.values()]).toEqual([a, b])

    table.remove(a)
    expect(table.get("aa")).toBeUndefined()
    expect(table.has("aa")).toBe(false)
    expect(table.byShortId(shortId(1))).toBeUndefined()
    expect(table.hasShortId(shortId(1))).toBe(false)
    expect(table.size).toBe(1)
    expect(table.has("zz")).toBe(false)
  })

  it("keeps the request that took another's place when the old one is removed", () => {
    const table = new RequestTable<ReturnType<typeof request>>()
    const old = request("aa", 1, "old")
    const successor = request("aa", 1, "successor")
    table.add(old)
    table.add(successor)
    table.remove(old)
    expect(table.get("aa")).toBe(successor)
    expect(table.byShortId(shortId(1))).toBe(successor)
    expect(table.size).toBe(1)
  })

  it("keeps a short id another request took when the old one is removed", () => {
    const table = new RequestTable<ReturnType<typeof request>>()
    const old = request("aa", 7)
    const other = request("bb", 7)
    table.add(old)
    table.add(other)
    table.remove(old)
    expect(table.get("aa")).toBeUndefined()
    expect(table.byShortId(shortId(7))).toBe(other)
  })
})

describe("second-family request ids", () => {
  it("are 4 bytes counting up by one, distinct for consecutive requests", () => {
    const ids = new ShortIds()
    const minted = Array.from({ length: 3 }, () => ids.mint())
    expect(minted.map((id) => id.byteLength)).toEqual([4, 4, 4])
    const values = minted.map((id) => new DataView(id).getUint32(0))
    expect(values[1]).toBe((values[0]! + 1) >>> 0)
    expect(values[2]).toBe((values[1]! + 1) >>> 0)
    expect(new Set(minted.map(idKey)).size).toBe(3)
  })

  it("wrap from 2^32 − 1 to 0", () => {
    const random = Math.random
    Math.random = () => (2 ** 32 - 1) / 2 ** 32
    try {
      const ids = new ShortIds()
      expect([ids.mint(), ids.mint()].map((id) => new DataView(id).getUint32(0))).toEqual([
        2 ** 32 - 1,
        0,
      ])
    } finally {
      Math.random = random
    }
  })
})

describe("a second-family request's message index", () => {
  it("counts from 0 and wraps at 2^16", () => {
    const index = new TunnelIndex()
    expect([index.take(), index.take(), index.take()]).toEqual([0, 1, 2])
    // Forward in steps under half the space, to the last index before the wrap.
    for (const sent of [0x7000, 0xe000, 0xffff]) index.sentAt(sent)
    expect([index.take(), index.take()]).toEqual([0, 1])
  })

  it("continues after a WebSocket message sent ahead of it, and not after one behind it", () => {
    const index = new TunnelIndex()
    index.sentAt(5)
    expect(index.take()).toBe(6)
    // Index 3 is behind the counter (7 next): a late message must not pull the counter back.
    index.sentAt(3)
    expect(index.take()).toBe(7)
    // One exactly at the counter moves it on by one.
    index.sentAt(8)
    expect(index.take()).toBe(9)
  })

  it("treats an index half the space ahead as behind", () => {
    const index = new TunnelIndex()
    index.sentAt(0x7fff)
    expect(index.take()).toBe(0x8000)
    const other = new TunnelIndex()
    // 0x8000 ahead of 0 is the first distance counted as behind.
    other.sentAt(0x8000)
    expect(other.take()).toBe(0)
  })
})
