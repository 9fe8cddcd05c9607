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
})
