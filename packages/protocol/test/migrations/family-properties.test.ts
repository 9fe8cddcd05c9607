// The converters from v3 on, held to the promise of migrations.md on random messages of every root
// type: every downgrade survives the way back up exactly or reports a named loss (and then drops
// exactly what it reported), and every upgrade either succeeds or names the member with no
// counterpart. v1 → v7 and v7 → v1 run through the public versioned codec.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  DowngradeError,
  LATEST_VERSION,
  type Loss,
  type ProtocolVersion,
  schemaOf,
} from "../../src/index.js"
import { arbitraryOf } from "../support/arbitrary.js"
import { comparable } from "../support/comparable.js"
import { rootCodecOf } from "../support/root-codecs.js"
import { downgradeBetween, SHARED_ROOTS, upgradeBetween, versionedRootOf } from "./chain.js"

const RUNS = { numRuns: 1000 }

/** Members of v1–v3 unions that v4 has no counterpart for: the only upgrades that may fail. */
const NO_V4_COUNTERPART = new Set(["TunnelAck", "ToClientClose", "ToServerPing"])

const adjacent: readonly [ProtocolVersion, ProtocolVersion][] = [
  [3, 4],
  [4, 5],
  [5, 6],
  [6, 7],
]

function same(actual: unknown, expected: unknown): void {
  expect(comparable(actual)).toStrictEqual(comparable(expected))
}

/** The downgrade's refusal, or `undefined` when it went through. */
function refusalOf(attempt: () => unknown): DowngradeError | undefined {
  try {
    attempt()
    return undefined
  } catch (error) {
    if (error instanceof DowngradeError) return error
    throw error
  }
}

describe.each(adjacent)("v%i ↔ v%i", (low, high) => {
  const roots = schemaOf(low).roots.filter((root) => schemaOf(high).roots.includes(root))

  describe.each(roots)("%s", (root) => {
    it(`a v${high} message goes down to v${low} and back up unchanged, or its loss is named`, () => {
      fc.assert(
        fc.property(arbitraryOf(schemaOf(high), root), (message) => {
          const refusal = refusalOf(() => downgradeBetween(root, message, high, low))
          if (refusal === undefined) {
            const down = downgradeBetween(root, message, high, low)
            same(upgradeBetween(root, down, low, high), message)
            return
          }
          expect(refusal.targetVersion).toBe(low)
          const heard: Loss[] = []
          const onLoss = (loss: Loss) => heard.push(loss)
          const dropped = downgradeBetween(root, message, high, low, { lossy: "drop", onLoss })
          expect(heard[0]).toMatchObject({ type: refusal.type, field: refusal.field })
          if (dropped !== null) {
            const bytes = rootCodecOf(low, root).encode(dropped)
            same(rootCodecOf(low, root).decode(bytes), dropped)
          } else {
            expect(heard.at(-1)?.dropsMessage).toBe(true)
          }
        }),
        RUNS,
      )
    })

    it(`a v${low} message goes up to v${high}, or names a member v${high} lacks`, () => {
      fc.assert(
        fc.property(arbitraryOf(schemaOf(low), root), (message) => {
          const refusal = refusalOf(() => upgradeBetween(root, message, low, high))
          if (refusal === undefined) {
            const up = upgradeBetween(root, message, low, high)
            const codec = rootCodecOf(high, root)
            same(codec.decode(codec.encode(up)), up)
            // Going up and down again is stable from the first round trip on.
            const back = downgradeBetween(root, up, high, low, { lossy: "drop" })
            same(upgradeBetween(root, back, low, high), up)
          } else {
            expect(low).toBe(3)
            expect(NO_V4_COUNTERPART.has(refusal.field)).toBe(true)
          }
        }),
        RUNS,
      )
    })
  })
})

describe.each(SHARED_ROOTS)("v1 and v7: %s", (root) => {
  const api = versionedRootOf(root)

  it("a v1 frame reads as v7 wherever v4 has its member, and writes back as the same v1 bytes", () => {
    fc.assert(
      fc.property(arbitraryOf(schemaOf(1), root), (message) => {
        const bytes = rootCodecOf(1, root).encode(message)
        const refusal = refusalOf(() => api.decode(bytes, { version: 1 }))
        if (refusal !== undefined) {
          expect(NO_V4_COUNTERPART.has(refusal.field)).toBe(true)
          return
        }
        const latest = api.decode(bytes, { version: 1 })
        same(latest, upgradeBetween(root, message, 1, LATEST_VERSION))
        const written = api.encode(latest, { version: 1, lossy: "drop" })
        if (written !== null) same(api.decode(written, { version: 1 }), latest)
      }),
      RUNS,
    )
  })

  it("a v7 message writes as v1 where it can, and otherwise names what v1 cannot carry", () => {
    fc.assert(
      fc.property(arbitraryOf(schemaOf(LATEST_VERSION), root), (message) => {
        const refusal = refusalOf(() => api.encode(message, { version: 1 }))
        if (refusal === undefined) {
          const bytes = api.encode(message, { version: 1 })
          if (bytes === null) throw new Error("refuse never returns null")
          same(api.decode(bytes, { version: 1 }), message)
        } else {
          expect(refusal.field).not.toBe("")
          expect([1, 2, 3, 4, 5, 6]).toContain(refusal.targetVersion)
        }
      }),
      RUNS,
    )
  })
})
