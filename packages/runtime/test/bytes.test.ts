// asUint8Array: any bytes as a plain Uint8Array over exactly those bytes, never a copy.
import { Buffer } from "node:buffer"
import { describe, expect, it } from "vitest"
import { asUint8Array } from "../src/bytes.js"

describe("asUint8Array", () => {
  it("returns a plain Uint8Array as it is", () => {
    const bytes = new Uint8Array([1, 2, 3])
    expect(asUint8Array(bytes)).toBe(bytes)
  })

  it("re-wraps a Node Buffer from a shared pool as a plain Uint8Array over its own bytes", () => {
    const pool = new Uint8Array(16)
    pool.set([9, 8, 7], 5)
    const pooled = Buffer.from(pool.buffer, 5, 3)
    const wrapped = asUint8Array(pooled)
    expect(wrapped).not.toBe(pooled)
    expect(wrapped.constructor).toBe(Uint8Array)
    expect(wrapped.buffer).toBe(pooled.buffer)
    expect(wrapped.byteOffset).toBe(pooled.byteOffset)
    expect([...wrapped]).toEqual([9, 8, 7])
    // A plain Uint8Array's slice is a copy of the three bytes, not of the pool.
    expect(wrapped.slice().buffer.byteLength).toBe(3)
  })

  it("views exactly the bytes another view covers, sharing them", () => {
    const buffer = new Uint8Array([0, 1, 2, 3, 4, 5]).buffer
    const view = new DataView(buffer, 2, 3)
    const wrapped = asUint8Array(view)
    expect(wrapped.constructor).toBe(Uint8Array)
    expect([...wrapped]).toEqual([2, 3, 4])
    wrapped[0] = 42
    expect(new Uint8Array(buffer)[2]).toBe(42)

    const words = new Uint16Array([0x0201, 0x0403])
    expect([...asUint8Array(words)]).toEqual([1, 2, 3, 4])
  })

  it("views a whole ArrayBuffer without copying it", () => {
    const buffer = new Uint8Array([5, 6]).buffer
    const wrapped = asUint8Array(buffer)
    expect(wrapped.constructor).toBe(Uint8Array)
    expect(wrapped.buffer).toBe(buffer)
    expect([...wrapped]).toEqual([5, 6])
  })
})
