import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { LATEST_VERSION, schemaOf, VersionError, writeEmbeddedVersion } from "../../src/index.js"
import { arbitraryOf } from "../support/arbitrary.js"
import { rootCodecOf } from "../support/root-codecs.js"
import { SHARED_ROOTS, versionedRootOf } from "./chain.js"

const unknownVersions = [0, 8, 1.5, Number.NaN, -1, Number.POSITIVE_INFINITY]

function versionErrorOf(attempt: () => unknown): VersionError {
  try {
    attempt()
  } catch (error) {
    if (error instanceof VersionError) return error
    throw error
  }
  throw new Error("expected a VersionError, but nothing was thrown")
}

describe.each(SHARED_ROOTS)("%s", (root) => {
  const api = versionedRootOf(root)
  const [message] = fc.sample(arbitraryOf(schemaOf(LATEST_VERSION), root), { numRuns: 1, seed: 7 })
  const bytes = rootCodecOf(LATEST_VERSION, root).encode(message)

  it.each(unknownVersions)(
    "rejects version %d in decode, encode, upgrade and downgrade",
    (version) => {
      const attempts = [
        () => api.decode(bytes, { version }),
        () => api.encode(message, { version }),
        () => api.encode(message, { version, lossy: "drop" }),
        () => api.encodeFrame(message, { version }),
        () => api.upgrade(message, version),
        () => api.downgrade(message, version),
        () => api.downgrade(message, version, { lossy: "drop" }),
      ]
      for (const attempt of attempts) expect(versionErrorOf(attempt).version).toBe(version)
    },
  )

  it("rejects an embedded-version frame of an unknown version", () => {
    for (const version of [0, 8, 0xffff]) {
      const frame = writeEmbeddedVersion(version, bytes)
      expect(versionErrorOf(() => api.decodeFrame(frame)).version).toBe(version)
    }
  })

  it("refuses to read or write without a version, rather than assume the latest", () => {
    // What a caller without types can still do: the bytes cannot say which version wrote them.
    const untyped = api as unknown as {
      decode(bytes: Uint8Array, options?: object): unknown
      encode(message: unknown, options?: object): unknown
      encodeFrame(message: unknown, options?: object): unknown
    }
    const attempts: [string, () => unknown][] = [
      [`decode${root}`, () => untyped.decode(bytes)],
      [`decode${root}`, () => untyped.decode(bytes, {})],
      [`encode${root}`, () => untyped.encode(message, { lossy: "drop" })],
      [`encode${root}Frame`, () => untyped.encodeFrame(message)],
    ]
    for (const [name, attempt] of attempts) {
      const error = versionErrorOf(attempt)
      expect(error.message).toBe(
        `${name} needs the protocol version: { version: 1 | 2 | 3 | 4 | 5 | 6 | 7 }`,
      )
      expect(error.version).toBeUndefined()
    }
  })
})
