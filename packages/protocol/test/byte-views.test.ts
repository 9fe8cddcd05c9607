import { Buffer } from "node:buffer"
import { describe, expect, it } from "vitest"
import { readEmbeddedVersion, VersionError, v3, writeEmbeddedVersion } from "../src/index.js"

const payload = new TextEncoder().encode("pooled payload")
const message: v3.ToServer = {
  tag: "ToServerTunnelMessage",
  val: {
    requestId: new Uint8Array(16).fill(1).buffer,
    messageId: new Uint8Array(16).fill(2).buffer,
    messageKind: { tag: "ToServerWebSocketMessage", val: { data: payload.buffer, binary: true } },
  },
}

function expectPayload(decoded: v3.ToServer): void {
  if (decoded.tag !== "ToServerTunnelMessage") throw new Error(`unexpected ${decoded.tag}`)
  const kind = decoded.val.messageKind
  if (kind.tag !== "ToServerWebSocketMessage") throw new Error(`unexpected ${kind.tag}`)
  expect(new Uint8Array(kind.val.data)).toEqual(payload)
  expect(decoded.val.requestId.byteLength).toBe(16)
}

describe("decoders accept every kind of byte view", () => {
  const bytes = v3.encodeToServer(message)

  it("a Uint8Array", () => expectPayload(v3.decodeToServer(bytes)))

  it("an ArrayBuffer", () => expectPayload(v3.decodeToServer(bytes.slice().buffer)))

  it("a Node Buffer from the shared pool, as ws delivers: data fields hold only their bytes", () => {
    const pooled = Buffer.from(bytes)
    expect(pooled.buffer.byteLength).toBeGreaterThan(bytes.length)
    expectPayload(v3.decodeToServer(pooled))
  })

  it("a view in the middle of a larger buffer", () => {
    const big = new Uint8Array(bytes.length + 20)
    big.set(bytes, 7)
    expectPayload(v3.decodeToServer(new DataView(big.buffer, 7, bytes.length)))
  })
})

describe("embedded-version frames", () => {
  it("put the version first as a little-endian u16", () => {
    const frame = writeEmbeddedVersion(0x0203, new Uint8Array([9, 8]))
    expect([...frame]).toEqual([0x03, 0x02, 9, 8])
    const { version, payload: body } = readEmbeddedVersion(frame)
    expect(version).toBe(0x0203)
    expect([...body]).toEqual([9, 8])
  })

  it("round-trip a real message", () => {
    const frame = writeEmbeddedVersion(3, v3.encodeToServer(message))
    const { version, payload: body } = readEmbeddedVersion(Buffer.from(frame))
    expect(version).toBe(3)
    expectPayload(v3.decodeToServer(body))
  })

  it("refuse a frame shorter than its header and a version that is not a u16", () => {
    expect(() => readEmbeddedVersion(new Uint8Array([3]))).toThrow(VersionError)
    expect(() => writeEmbeddedVersion(70_000, new Uint8Array())).toThrow(VersionError)
  })
})
