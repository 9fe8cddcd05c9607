// Reading v1–v3 bytes into a newer shape, the versioned decode lends v3's 16-byte tunnel ids to
// the fused upgrade as views of the input (`upgradesCopyOutOf` in src/migrations/v3-to-v4.ts,
// gen/vN/lent.ts). Lending must change nothing a caller can see: the decode gives what decoding
// with the version's own codec and upgrading step by step gives, refuses bad bytes with the same
// error, and what it returns owns its bytes: no typed array, no view, nothing of the input.

import { upgradeContext } from "@tunnelwire/runtime/codegen"
import fc from "fast-check"
import { afterEach, describe, expect, it, vi } from "vitest"
import * as steps1to2 from "../../src/gen/migrations/v1-v2.js"
import * as steps2to3 from "../../src/gen/migrations/v2-v3.js"
import * as steps3to4 from "../../src/gen/migrations/v3-v4.js"
import * as versionedV7 from "../../src/gen/versioned.js"
import * as versionedV4 from "../../src/gen/versioned-v4.js"
import * as versionedV5 from "../../src/gen/versioned-v5.js"
import * as versionedV6 from "../../src/gen/versioned-v6.js"
import { type ProtocolVersion, schemaOf } from "../../src/index.js"
import { arbitraryOf } from "../support/arbitrary.js"
import { applyMutation, byteMutation } from "../support/byte-mutations.js"
import { comparable } from "../support/comparable.js"
import { rootCodecOf } from "../support/root-codecs.js"
import { SHARED_ROOTS, stepConverter } from "./chain.js"

const RUNS = { numRuns: 200 }

/** The versions whose bytes are read with lent ids, and the versioned codecs that read them. */
const LENDING_VERSIONS = [1, 2, 3] as const satisfies readonly ProtocolVersion[]
const versionedModules: Readonly<Record<number, Readonly<Record<string, unknown>>>> = {
  4: versionedV4,
  5: versionedV5,
  6: versionedV6,
  7: versionedV7,
}

/** The step modules' upgrade tables: the step-by-step chain a refusal re-runs starts in them. */
const upgradeTables: Readonly<Record<number, object>> = {
  1: steps1to2.upgrade,
  2: steps2to3.upgrade,
  3: steps3to4.upgrade,
}

/** ToGateway turns from a struct into a union in v4: that step is hand-written, fused or not. */
const HAND_WRITTEN_ROOT_STEPS = new Set(["ToGateway@3"])

afterEach(() => {
  vi.restoreAllMocks()
})

type VersionedDecode = (bytes: Uint8Array, options: { readonly version: number }) => unknown

function versionedDecodeOf(to: number, root: string): VersionedDecode {
  return versionedModules[to]![`decode${root}`] as VersionedDecode
}

/** Decoding with `from`'s own codec, then each adjacent step with its own context. */
function decodeStepByStep(root: string, bytes: Uint8Array, from: number, to: number): unknown {
  let value = rootCodecOf(from as ProtocolVersion, root).decode(bytes)
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
    const { name, message } = error as Error
    return { ok: false, error: { class: error?.constructor, name, message, ...(error as object) } }
  }
}

/** Every typed array or `DataView` inside `value`, and every `ArrayBuffer` with its path. */
function binaryValues(value: unknown, path = "message"): { path: string; value: object }[] {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return [{ path, value }]
  if (value instanceof Map) {
    return [...value].flatMap(([key, entry], i) => [
      ...binaryValues(key, `${path}.key${i}`),
      ...binaryValues(entry, `${path}.get(${i})`),
    ])
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, entry]) => binaryValues(entry, `${path}.${key}`))
  }
  return []
}

const cases = [4, 5, 6, 7].flatMap((to) =>
  LENDING_VERSIONS.flatMap((from) => SHARED_ROOTS.map((root) => [from, to, root] as const)),
)

describe.each(cases)("v%i bytes read as v%i %s", (from, to, root) => {
  const decode = versionedDecodeOf(to, root)
  const messages = arbitraryOf(schemaOf(from), root)
  const encode = (message: unknown) => rootCodecOf(from, root).encode(message)

  it("give what the version's codec and the step-by-step chain give, refusals included", () => {
    // A call to the first step's converter of the root means the fused chain refused the lent
    // message and the step-by-step chain ran: it must not happen to a message the chain accepts.
    const fallback = vi.spyOn(upgradeTables[from] as Record<string, () => unknown>, root)
    const firstStepIsHandWritten = HAND_WRITTEN_ROOT_STEPS.has(`${root}@${from}`)
    fc.assert(
      fc.property(messages, (message) => {
        const bytes = encode(message)
        const expected = outcomeOf(() => decodeStepByStep(root, bytes, from, to))
        fallback.mockClear()
        expect(outcomeOf(() => decode(bytes, { version: from }))).toStrictEqual(expected)
        if (expected.ok && !firstStepIsHandWritten) expect(fallback).not.toHaveBeenCalled()
      }),
      RUNS,
    )
  })

  it("own their bytes: ArrayBuffers of their own, unchanged when the input is overwritten", () => {
    fc.assert(
      fc.property(messages, (message) => {
        const bytes = encode(message)
        const input = bytes.buffer
        let decoded: unknown
        try {
          decoded = decode(bytes, { version: from })
        } catch {
          return // a message the chain refuses (checked above)
        }
        const before = comparable(decoded)
        for (const binary of binaryValues(decoded)) {
          expect(binary.value, binary.path).toBeInstanceOf(ArrayBuffer)
          expect(binary.value, binary.path).not.toBe(input)
        }
        bytes.fill(0xa5)
        expect(comparable(decoded)).toStrictEqual(before)
      }),
      RUNS,
    )
  })

  it("refuse damaged bytes with the error the version's codec gives", () => {
    fc.assert(
      fc.property(messages, byteMutation, (message, mutation) => {
        const bytes = applyMutation(encode(message), mutation)
        const codec = outcomeOf(() => rootCodecOf(from, root).decode(bytes))
        const versioned = outcomeOf(() => decode(bytes, { version: from }))
        if (!codec.ok) expect(versioned).toStrictEqual(codec)
        else
          expect(versioned).toStrictEqual(outcomeOf(() => decodeStepByStep(root, bytes, from, to)))
      }),
      RUNS,
    )
  })
})
