import { describe, expect, it } from "vitest"
import { MessageIds } from "../src/runners/message-ids.js"

describe("tunnel message ids", () => {
  it("are 16 bytes, distinct in their first bytes, and map back to their sequence number", () => {
    const ids = new MessageIds()
    const minted = Array.from({ length: 3 }, () => ids.mint())
    expect(minted.map((m) => m.id.byteLength)).toEqual([16, 16, 16])
    expect(new Set(minted.map((m) => Buffer.from(m.id.slice(0, 4)).toString("hex"))).size).toBe(3)
    expect(minted.map((m) => ids.seqOf(m.id))).toEqual([0, 1, 2])
  })

  it("do not match another connection's ids", () => {
    const [mine, theirs] = [new MessageIds(), new MessageIds()]
    expect(mine.seqOf(theirs.mint().id)).toBeNull()
    expect(mine.seqOf(new ArrayBuffer(8))).toBeNull()
  })

  it("count in bytes 0–5, low word first, and keep bytes 6–15 as a v4 UUID naming the connection", () => {
    const ids = new MessageIds()
    const minted = Array.from({ length: 258 }, () => new Uint8Array(ids.mint().id))
    const last = minted.at(-1)!
    // 257 = 0x101: low word 0x00000101, high word 0.
    expect(Buffer.from(last.subarray(0, 6)).toString("hex")).toBe("000001010000")
    expect(new Set(minted.map((id) => Buffer.from(id.subarray(6)).toString("hex"))).size).toBe(1)
    expect(last[6]! >> 4).toBe(4)
    expect(last[8]! >> 6).toBe(0b10)
  })

  it("map an id of this connection with a high sequence word back to its number", () => {
    const ids = new MessageIds()
    const id = ids.mint().id.slice(0)
    const view = new DataView(id)
    view.setUint32(0, 5)
    view.setUint16(4, 3)
    expect(ids.seqOf(id)).toBe(3 * 2 ** 32 + 5)
    // Any byte of the connection's part changed: not this connection's id.
    for (const at of [6, 10, 15]) {
      const other = id.slice(0)
      new Uint8Array(other)[at]! ^= 1
      expect(ids.seqOf(other)).toBeNull()
    }
    // This connection's id with one byte more is not an id at all.
    const longer = new Uint8Array(17)
    longer.set(new Uint8Array(id))
    expect(ids.seqOf(longer.buffer)).toBeNull()
  })
})
