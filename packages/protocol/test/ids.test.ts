import { describe, expect, it } from "vitest"
import { createIdMinter, idKey, isRfc4122v4, newId } from "../src/index.js"

const RFC4122_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function uuidText(id: ArrayBuffer): string {
  const hex = idKey(id)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

describe("ids", () => {
  it("a random id is an RFC 4122 v4 UUID", () => {
    for (let i = 0; i < 1_000; i++) {
      const id = newId()
      expect(uuidText(id)).toMatch(RFC4122_V4)
      expect(isRfc4122v4(id)).toBe(true)
    }
  })

  it("a minter's ids are RFC 4122 v4 UUIDs, all distinct, with distinct leading bytes", () => {
    const mint = createIdMinter()
    // Past 2^16, so the counter carries into its third byte.
    const ids = Array.from({ length: 66_000 }, () => mint())
    expect(ids.every(isRfc4122v4)).toBe(true)
    expect(ids.slice(0, 1_000).every((id) => RFC4122_V4.test(uuidText(id)))).toBe(true)
    expect(new Set(ids.map(idKey)).size).toBe(ids.length)
    expect(new Set(ids.slice(0, 1_000).map((id) => idKey(id).slice(0, 8))).size).toBe(1_000)
  })

  it("two minters do not share ids", () => {
    const [a, b] = [createIdMinter(), createIdMinter()]
    const seen = new Set(Array.from({ length: 1_000 }, () => idKey(a())))
    expect(Array.from({ length: 1_000 }, () => idKey(b())).some((key) => seen.has(key))).toBe(false)
  })

  it("tells a UUIDv4 from 16 bytes that are not one", () => {
    const id = new Uint8Array(newId())
    expect(isRfc4122v4(id)).toBe(true)
    expect(isRfc4122v4(id.slice(0, 15))).toBe(false)
    const wrongVersion = id.slice()
    wrongVersion[6] = (wrongVersion[6]! & 0x0f) | 0x10
    expect(isRfc4122v4(wrongVersion)).toBe(false)
    const wrongVariant = id.slice()
    wrongVariant[8] = wrongVariant[8]! & 0x3f
    expect(isRfc4122v4(wrongVariant)).toBe(false)
    expect(isRfc4122v4(new Uint8Array(16))).toBe(false)
  })
})
