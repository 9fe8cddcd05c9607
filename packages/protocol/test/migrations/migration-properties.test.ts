import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  LATEST_VERSION,
  PROTOCOL_VERSIONS,
  type ProtocolVersion,
  schemaOf,
  writeEmbeddedVersion,
} from "../../src/index.js"
import { arbitraryOf } from "../support/arbitrary.js"
import { comparable } from "../support/comparable.js"
import { rootCodecOf } from "../support/root-codecs.js"
import {
  downgradeBetween,
  SHARED_ROOTS,
  steps,
  upgradeBetween,
  versionedRootOf,
  versionedRoots,
} from "./chain.js"
import {
  afterDroppingLosses,
  afterRoundTrip,
  type ExpectedLoss,
  expectedLosses,
  lossField,
  lostValuesOf,
  removedFields,
  reportedLosses,
  ruleName,
  rulesBetween,
} from "./expected-losses.js"
import { dropRecorder, hex, refusalOf } from "./observed.js"
import { arbitraryHolding, canHold } from "./planted.js"

const RUNS = { numRuns: 1000 }

/**
 * The first family, whose every loss and default `expected-losses.ts` writes out. The steps from v3
 * on are held to the same promise without that table, in `family-properties.test.ts`.
 */
const FIRST_FAMILY: readonly ProtocolVersion[] = [1, 2, 3]

/** Every pair of versions low < high of the first family. */
const pairs = FIRST_FAMILY.flatMap((low, i) =>
  FIRST_FAMILY.slice(i + 1).map((high): [ProtocolVersion, ProtocolVersion] => [low, high]),
)

const roots = SHARED_ROOTS

it("has a generated step between every two adjacent versions", () => {
  const adjacent = PROTOCOL_VERSIONS.slice(0, -1)
  expect(Object.keys(steps).map(Number)).toEqual(adjacent)
})

it("offers the versioned API for the root types every version shares", () => {
  for (const version of PROTOCOL_VERSIONS) {
    expect(schemaOf(version).roots).toEqual(expect.arrayContaining([...roots]))
  }
  expect(Object.keys(versionedRoots).sort()).toEqual([...roots].sort())
})

function same(actual: unknown, expected: unknown): void {
  expect(comparable(actual)).toStrictEqual(comparable(expected))
}

function removedBetween(low: number, high: number): string {
  const removed = removedFields.filter(
    (field) => low >= field.presentFrom && low < field.removedIn && high >= field.removedIn,
  )
  return removed
    .map((field) => `, except ${field.type}.${field.field} (gone in v${field.removedIn})`)
    .join("")
}

describe.each(pairs)("v%i ↔ v%i", (low, high) => {
  describe.each(roots)("%s", (root) => {
    const lowCodec = rootCodecOf(low, root)
    const highCodec = rootCodecOf(high, root)
    const lowMessages = arbitraryOf(schemaOf(low), root)
    const highMessages = arbitraryOf(schemaOf(high), root)

    it(`v${low} → v${high} → v${low} gives the original back${removedBetween(low, high)}`, () => {
      fc.assert(
        fc.property(lowMessages, (message) => {
          const up = upgradeBetween(root, message, low, high)
          const back = downgradeBetween(root, up, high, low)
          same(back, afterRoundTrip(root, message, low, high))
        }),
        RUNS,
      )
    })

    it(`a v${high} message v${low} can represent survives v${high} → v${low} → v${high} exactly`, () => {
      const representable = highMessages.filter(
        (message) => expectedLosses(root, message, high, low).length === 0,
      )
      fc.assert(
        fc.property(representable, (message) => {
          const down = downgradeBetween(root, message, high, low)
          same(upgradeBetween(root, down, low, high), message)
        }),
        RUNS,
      )
    })

    const rules = rulesBetween(low, high).filter((rule) => canHold(schemaOf(high), root, rule.type))
    it.each(rules.map((rule) => [ruleName(rule), rule] as const))(
      `a v${high} message with %s is refused, or dropped and reported under lossy "drop"`,
      (_, rule) => {
        const messages = arbitraryHolding(schemaOf(high), root, rule.type, lostValuesOf(rule, high))
        fc.assert(
          fc.property(messages, (message) => {
            const losses = expectedLosses(root, message, high, low)
            expect(losses.map((loss) => loss.field)).toContain(lossField(rule))
            expectRefused(root, message, high, low, losses[0]!)
            expectDropped(root, message, high, low, losses)
          }),
          RUNS,
        )
      },
    )

    it(`v${low} bytes read as v${high} equal the upgrade, and the way back writes the same bytes`, () => {
      fc.assert(
        fc.property(lowMessages, (message) => {
          const bytes = lowCodec.encode(message)
          const up = upgradeBetween(root, lowCodec.decode(bytes), low, high)
          same(up, upgradeBetween(root, message, low, high))
          same(highCodec.decode(highCodec.encode(up)), up)
          const expected = lowCodec.encode(afterRoundTrip(root, message, low, high))
          expect(hex(lowCodec.encode(downgradeBetween(root, up, high, low)))).toBe(hex(expected))
          if (high === LATEST_VERSION) expectVersionedApi(root, bytes, up, low, expected)
        }),
        RUNS,
      )
    })
  })
})

/** `decodeX`, `encodeX` and their frame forms agree with the chain and the codecs. */
function expectVersionedApi(
  root: string,
  bytes: Uint8Array,
  latest: unknown,
  version: number,
  expectedBytes: Uint8Array,
): void {
  const api = versionedRootOf(root)
  same(api.decode(bytes, { version }), latest)
  const written = api.encode(latest, { version })
  expect(hex(written)).toBe(hex(expectedBytes))
  const frame = api.encodeFrame(latest, { version })
  expect(hex(frame)).toBe(hex(writeEmbeddedVersion(version, expectedBytes)))
  const decoded = api.decodeFrame(writeEmbeddedVersion(version, bytes))
  expect(decoded.version).toBe(version)
  same(decoded.message, latest)
}

function expectRefused(
  root: string,
  message: unknown,
  from: number,
  to: number,
  first: ExpectedLoss,
): void {
  const { type, field, targetVersion } = first
  const expected = { type, field, targetVersion }
  expect(refusalOf(() => downgradeBetween(root, message, from, to))).toEqual(expected)
  if (from === LATEST_VERSION) {
    const encode = () => versionedRootOf(root).encode(message, { version: to })
    expect(refusalOf(encode)).toEqual(expected)
  }
}

function expectDropped(
  root: string,
  message: unknown,
  from: ProtocolVersion,
  to: ProtocolVersion,
  losses: readonly ExpectedLoss[],
): void {
  const { options, losses: heard } = dropRecorder()
  const down = downgradeBetween(root, message, from, to, options)
  expect(heard).toEqual(reportedLosses(losses))
  const dropsMessage = losses.some((loss) => loss.dropsMessage)
  if (dropsMessage) expect(down).toBeNull()
  else same(upgradeBetween(root, down, to, from), afterDroppingLosses(root, message, from, to))
  if (from !== LATEST_VERSION) return
  const written = versionedRootOf(root).encode(message, { version: to, lossy: "drop" })
  expect(hex(written)).toBe(dropsMessage ? null : hex(rootCodecOf(to, root).encode(down)))
}
