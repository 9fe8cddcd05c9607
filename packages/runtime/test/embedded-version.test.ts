// Embedded-version frames (stored or relayed messages): a little-endian u16 version, then the
// payload, byte for byte.
import { describe, expect, it } from "vitest"
import {
  EMBEDDED_VERSION_HEADER_SIZE,
  readEmbeddedVersion,
  writeEmbeddedVersion,
} from "../src/embedded-version.js"
import { VersionError } from "../src/errors.js"

const refusal = (run: () => unknown): unknown => {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error("expected a refusal")
}

describe("writeEmbeddedVersion", () => {
  it("writes the version low byte first, then the payload", () => {
    expect([...writeEmbeddedVersion(0x1234, new Uint8Array([0xaa, 0xbb]))]).toEqual([
      0x34, 0x12, 0xaa, 0xbb,
    ])
    expect([...writeEmbeddedVersion(7, new Uint8Array())]).toEqual([7, 0])
    expect(EMBEDDED_VERSION_HEADER_SIZE).toBe(2)
  })

  it("takes every u16, from 0 to 65535", () => {
    expect([...writeEmbeddedVersion(0, new Uint8Array([1]))]).toEqual([0, 0, 1])
    expect([...writeEmbeddedVersion(0xffff, new Uint8Array([1]))]).toEqual([0xff, 0xff, 1])
  })

  it("writes exactly the bytes a view covers, not the buffer around it", () => {
    const buffer = new Uint8Array([1, 2, 3, 4, 5]).buffer
    expect([...writeEmbeddedVersion(1, new DataView(buffer, 1, 3))]).toEqual([1, 0, 2, 3, 4])
    expect([...writeEmbeddedVersion(1, buffer)]).toEqual([1, 0, 1, 2, 3, 4, 5])
  })

  it.each([-1, 0x1_0000, 1.5, Number.NaN])(
    "refuses %s, which is not a u16, with a VersionError naming it",
    (version) => {
      const error = refusal(() => writeEmbeddedVersion(version, new Uint8Array()))
      expect(error).toBeInstanceOf(VersionError)
      expect((error as VersionError).message).toBe(`embedded version must be a u16, got ${version}`)
      expect((error as VersionError).version).toBe(version)
    },
  )
})

describe("readEmbeddedVersion", () => {
  it("reads the little-endian version and the payload after it", () => {
    const frame = readEmbeddedVersion(new Uint8Array([0x12, 0xff, 9, 8]))
    expect(frame.version).toBe(0xff12)
    expect([...frame.payload]).toEqual([9, 8])
  })

  it("reads back what it writes", () => {
    const payload = new Uint8Array([0, 1, 0xfe, 0xff])
    for (const version of [0, 1, 255, 256, 0x8000, 0xffff]) {
      const frame = readEmbeddedVersion(writeEmbeddedVersion(version, payload))
      expect(frame.version).toBe(version)
      expect(frame.payload).toEqual(payload)
    }
  })

  it("gives the payload as a view into the frame, not a copy", () => {
    const bytes = new Uint8Array([1, 0, 5, 6])
    const { payload } = readEmbeddedVersion(bytes)
    expect(payload.buffer).toBe(bytes.buffer)
    expect(payload.byteOffset).toBe(2)
    bytes[3] = 60
    expect([...payload]).toEqual([5, 60])
  })

  it("takes a frame of a header alone as an empty payload", () => {
    const frame = readEmbeddedVersion(new Uint8Array([3, 0]))
    expect(frame.version).toBe(3)
    expect(frame.payload.length).toBe(0)
  })

  it("reads a frame inside a larger buffer from its own first byte", () => {
    const buffer = new Uint8Array([0xee, 2, 1, 7, 0xee]).buffer
    const frame = readEmbeddedVersion(new DataView(buffer, 1, 3))
    expect(frame.version).toBe(0x0102)
    expect([...frame.payload]).toEqual([7])
  })

  it.each([0, 1])("refuses a frame of %i bytes, shorter than its header", (length) => {
    const error = refusal(() => readEmbeddedVersion(new Uint8Array(length)))
    expect(error).toBeInstanceOf(VersionError)
    expect((error as VersionError).message).toBe(
      `embedded-version frame needs 2 header bytes, got ${length}`,
    )
    expect((error as VersionError).version).toBeUndefined()
  })
})
