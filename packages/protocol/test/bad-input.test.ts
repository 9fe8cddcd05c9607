import { Buffer } from "node:buffer"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { DecodeError, PROTOCOL_VERSIONS, type ProtocolVersion, schemas, v3 } from "../src/index.js"
import { arbitraryOf } from "./support/arbitrary.js"
import { applyMutation, byteMutation } from "./support/byte-mutations.js"
import { type RootCodec, rootCodecOf } from "./support/root-codecs.js"

/**
 * `npm run mutate` runs fewer (TUNNELWIRE_FUZZ_RUNS): this test covers every decoder, so each
 * mutant of the runtime would otherwise run it whole.
 */
const INPUTS_PER_ROOT = { numRuns: Number(process.env.TUNNELWIRE_FUZZ_RUNS ?? 10_000) }

/**
 * What a decoder may do with any input: return a message, or throw a `DecodeError` that says
 * which type, which version and which byte. A message it returns must encode back to exactly
 * the input, since every BARE encoding of these schemas is canonical (no floats; varints and
 * UTF-8 must be minimal; bools and optional flags are 0 or 1).
 *
 * Returns what is wrong, or `undefined`. Plain checks instead of `expect`: ten thousand inputs
 * per root type would otherwise spend most of their time in the matchers.
 */
function decodeProblem(
  codec: RootCodec,
  version: ProtocolVersion,
  root: string,
  input: Uint8Array,
): string | undefined {
  let decoded: unknown
  try {
    decoded = codec.decode(input)
  } catch (error) {
    if (!(error instanceof DecodeError)) return `threw ${String(error)} instead of a DecodeError`
    const { type, offset, message } = error
    if (type !== root || error.version !== version) return `names v${error.version} ${type}`
    if (!Number.isInteger(offset) || offset < 0 || offset > input.length) {
      return `offset ${offset} outside an input of ${input.length} bytes`
    }
    if (!message.startsWith(`cannot decode v${version} ${root}: `)) return `message: ${message}`
    if (!message.endsWith(` at byte ${offset}`)) return `message without its offset: ${message}`
    return undefined
  }
  const reencoded = codec.encode(decoded)
  return Buffer.compare(reencoded, input) === 0
    ? undefined
    : `decoded to a message that encodes to other bytes: ${codec.stringify(decoded)}`
}

describe.each(PROTOCOL_VERSIONS)("v%i decoders on damaged input", (version) => {
  const schema = schemas[version]

  it.each(schema.roots)(
    "%s: every truncated, extended, corrupted or random input decodes canonically or fails with a located DecodeError",
    (root) => {
      const codec = rootCodecOf(version, root)
      const encodings = arbitraryOf(schema, root).map((message) => codec.encode(message))
      fc.assert(
        fc.property(encodings, byteMutation, (valid, mutation) => {
          const problem = decodeProblem(codec, version, root, applyMutation(valid, mutation))
          if (problem !== undefined) throw new Error(`v${version} ${root} decoder ${problem}`)
        }),
        INPUTS_PER_ROOT,
      )
    },
  )
})

/** The `DecodeError` that `decode` throws; anything else, or no error, fails the test. */
function decodeFailure(decode: () => unknown): DecodeError {
  try {
    decode()
  } catch (error) {
    if (error instanceof DecodeError) return error
    throw error
  }
  throw new Error("decoded without an error")
}

const GIB_VARINT = [0x80, 0x80, 0x80, 0x80, 0x04]
/** ToServer tag 5 (ToServerKvRequest), actor id "a", request id 7. */
const KV_REQUEST_HEAD = [5, 1, 0x61, 7, 0, 0, 0]
/** ToServer tag 1 (ToServerEvents), one event of index 0, EventActorStateUpdate of actor "a". */
const STATE_UPDATE_HEAD = [1, 1, ...new Array(8).fill(0), 1, 1, 0x61, 0, 0, 0, 0]

describe("v3 decoders on crafted input", () => {
  it.each([
    [
      "a KvGetResponse whose key list claims 2^40 entries",
      "ToClient",
      [4, 7, 0, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0, 0],
      6,
      "collection of 1099511627776 entries exceeds the remaining input",
    ],
    [
      "a ToServerEvents list claiming more events than bytes left",
      "ToServer",
      [1, 0xff, 0xff, 0x03, 0, 0, 0],
      1,
      "collection of 65535 entries exceeds the remaining input",
    ],
    [
      // 3 ≤ 10, but an event takes at least 9 bytes: refused before reading a single one.
      "a ToServerEvents list claiming 3 events with 10 bytes left, fewer than 3 minimal events",
      "ToServer",
      [1, 3, ...new Array(10).fill(0)],
      1,
      "collection of 3 entries exceeds the remaining input",
    ],
    ["an actor id claiming 1 GiB", "ToServer", [5, ...GIB_VARINT, 0x61, 0x62], 6, "missing bytes"],
    [
      "a KvPutRequest key claiming 1 GiB",
      "ToServer",
      [...KV_REQUEST_HEAD, 2, 1, ...GIB_VARINT, 0xaa],
      14,
      "missing bytes",
    ],
    [
      "a string length beyond 32 bits",
      "ToServer",
      [5, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x61],
      1,
      "too large number",
    ],
    ["a ToServer tag past the last member", "ToServer", [7], 0, "invalid tag"],
    [
      "a KvRequestData tag past the last member",
      "ToServer",
      [...KV_REQUEST_HEAD, 9],
      7,
      "invalid tag",
    ],
    [
      "a StopCode that does not exist",
      "ToServer",
      [...STATE_UPDATE_HEAD, 1, 2, 0],
      18,
      "invalid tag",
    ],
    [
      "a bool that is 2",
      "ToServer",
      [...KV_REQUEST_HEAD, 1, 0, 2],
      9,
      "a bool must be equal to 0 or 1",
    ],
    ["an actor id that is not UTF-8", "ToServer", [5, 2, 0xc3, 0x28], 2, "invalid UTF-8 string"],
    [
      "an overlong UTF-8 encoding of NUL",
      "ToServer",
      [5, 2, 0xc0, 0x80],
      2,
      "invalid UTF-8 string",
    ],
    [
      "a UTF-8-encoded lone surrogate",
      "ToServer",
      [5, 3, 0xed, 0xa0, 0x80],
      2,
      "invalid UTF-8 string",
    ],
    [
      "a 300-byte actor id whose last byte breaks UTF-8, reported where the string starts",
      "ToServer",
      [5, 0xac, 0x02, ...new Array(299).fill(0x61), 0xff],
      3,
      "invalid UTF-8 string",
    ],
    [
      "a string length written as 0 in two bytes",
      "ToServer",
      [5, 0x80, 0x00],
      1,
      "must be canonical",
    ],
    [
      "a string length written as 0 in four bytes, right after the first byte",
      "ToServer",
      [5, 0x80, 0x80, 0x80, 0x00],
      1,
      "must be canonical",
    ],
    [
      "a list length written as 1 in three bytes",
      "ToClient",
      [4, 7, 0, 0, 0, 1, 0x81, 0x80, 0x00, 0],
      6,
      "must be canonical",
    ],
    ["a request id cut after 5 bytes", "ToServer", [6, 1, 2, 3, 4, 5], 1, "missing bytes"],
    ["a ToClientClose with a trailing byte", "ToClient", [1, 0], 1, "1 trailing bytes"],
  ])("refuses %s with a DecodeError at that byte", (_name, root, bytes, offset, reason) => {
    const decode = root === "ToServer" ? v3.decodeToServer : v3.decodeToClient
    const error = decodeFailure(() => decode(Uint8Array.from(bytes)))
    expect(error).toMatchObject({ type: root, version: 3, offset, reason })
    expect(error.message).toBe(`cannot decode v3 ${root}: ${reason} at byte ${offset}`)
  })
})

describe("rejection is cheap and leaves no trace", () => {
  it("builds the DecodeError without a stack capture, and restores Error.stackTraceLimit", () => {
    const before = Error.stackTraceLimit
    let caught: unknown
    try {
      v3.decodeToClient(Uint8Array.from([0xff]))
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(DecodeError)
    expect((caught as DecodeError).stack).toBe(
      "DecodeError: cannot decode v3 ToClient: invalid tag at byte 0",
    )
    expect(Error.stackTraceLimit).toBe(before)
    expect(new Error("after").stack).toContain("bad-input.test.ts")
  })
})
