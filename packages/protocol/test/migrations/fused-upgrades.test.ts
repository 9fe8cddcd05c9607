// The versioned codec upgrades through chains fused at generation time (one function per older
// version and root type, tools/tunnelwire/src/codegen/fused-upgrade.ts). Fusion must be a
// mechanical composition of the adjacent steps: for every pair of versions and every root type,
// the fused upgrade gives what running the steps one by one gives, and refuses what they refuse
// with the same error.

import { upgradeContext } from "@tunnelwire/runtime/codegen"
import fc from "fast-check"
import { afterEach, describe, expect, it, vi } from "vitest"
import * as steps1to2 from "../../src/gen/migrations/v1-v2.js"
import * as steps2to3 from "../../src/gen/migrations/v2-v3.js"
import * as steps3to4 from "../../src/gen/migrations/v3-v4.js"
import * as steps4to5 from "../../src/gen/migrations/v4-v5.js"
import * as steps5to6 from "../../src/gen/migrations/v5-v6.js"
import * as steps6to7 from "../../src/gen/migrations/v6-v7.js"
import * as versionedV7 from "../../src/gen/versioned.js"
import * as versionedV2 from "../../src/gen/versioned-v2.js"
import * as versionedV3 from "../../src/gen/versioned-v3.js"
import * as versionedV4 from "../../src/gen/versioned-v4.js"
import * as versionedV5 from "../../src/gen/versioned-v5.js"
import * as versionedV6 from "../../src/gen/versioned-v6.js"
import { PROTOCOL_VERSIONS, type ProtocolVersion, schemaOf } from "../../src/index.js"
import { arbitraryOf } from "../support/arbitrary.js"
import { comparable } from "../support/comparable.js"
import { SHARED_ROOTS, stepConverter } from "./chain.js"

const RUNS = { numRuns: 300 }

type Upgrade = (message: unknown, from: number) => unknown

/** The versioned codec whose latest version is the key, as `gen/` writes it. */
const versionedModules: Readonly<Record<number, Readonly<Record<string, unknown>>>> = {
  2: versionedV2,
  3: versionedV3,
  4: versionedV4,
  5: versionedV5,
  6: versionedV6,
  7: versionedV7,
}

/** The step modules' own upgrade tables, the objects the versioned codec calls into. */
const upgradeTables: Readonly<Record<number, object>> = {
  1: steps1to2.upgrade,
  2: steps2to3.upgrade,
  3: steps3to4.upgrade,
  4: steps4to5.upgrade,
  5: steps5to6.upgrade,
  6: steps6to7.upgrade,
}

/** ToGateway turns from a struct into a union in v4: that step is hand-written, fused or not. */
const HAND_WRITTEN_ROOT_STEPS = new Set(["ToGateway@3"])

function upgradeOf(to: number, root: string): Upgrade {
  return versionedModules[to]![`upgrade${root}`] as Upgrade
}

/** The adjacent steps from `from` to `to`, one after the other, each with its own context. */
function stepByStep(root: string, message: unknown, from: number, to: number): unknown {
  let value = message
  for (let version = from; version < to; version++) {
    value = stepConverter(version, "upgrade", root)(value, upgradeContext(version, version + 1))
  }
  return value
}

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown }

function outcomeOf(attempt: () => unknown): Outcome {
  try {
    return { ok: true, value: comparable(attempt()) }
  } catch (error) {
    // The class, the message and every field (DowngradeError's type, field, targetVersion, reason).
    const { name, message } = error as Error
    return { ok: false, error: { class: error?.constructor, name, message, ...(error as object) } }
  }
}

const pairs = PROTOCOL_VERSIONS.flatMap((from, i) =>
  PROTOCOL_VERSIONS.slice(i + 1).map((to): [ProtocolVersion, ProtocolVersion] => [from, to]),
)

afterEach(() => {
  vi.restoreAllMocks()
})

describe.each(pairs)("v%i → v%i", (from, to) => {
  it.each(SHARED_ROOTS)(
    "%s: the fused upgrade equals the step-by-step chain, refusals included",
    (root) => {
      const upgrade = upgradeOf(to, root)
      // The step-by-step chain always starts with the first step's converter of the root type; the
      // fused one calls a step's converter only for a type that changed in it, so a call here means
      // the fused chain refused and the step-by-step chain was run to name the refusal.
      const fallback = vi.spyOn(upgradeTables[from] as Record<string, Upgrade>, root)
      const firstStepIsHandWritten = HAND_WRITTEN_ROOT_STEPS.has(`${root}@${from}`)
      fc.assert(
        fc.property(arbitraryOf(schemaOf(from), root), (message) => {
          const expected = outcomeOf(() => stepByStep(root, message, from, to))
          fallback.mockClear()
          const actual = outcomeOf(() => upgrade(message, from))
          expect(actual).toStrictEqual(expected)
          if (expected.ok && !firstStepIsHandWritten) expect(fallback).not.toHaveBeenCalled()
          if (!expected.ok) expect(fallback).toHaveBeenCalled()
        }),
        RUNS,
      )
    },
  )
})

it("covers every version pair of every versioned codec", () => {
  expect(pairs).toHaveLength((PROTOCOL_VERSIONS.length * (PROTOCOL_VERSIONS.length - 1)) / 2)
  for (const to of PROTOCOL_VERSIONS.slice(1)) {
    for (const root of SHARED_ROOTS) expect(typeof upgradeOf(to, root)).toBe("function")
  }
})
