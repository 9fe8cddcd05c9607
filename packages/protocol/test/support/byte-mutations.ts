/**
 * Damage done to a valid encoding, as fast-check values: what a decoder meets when a frame is
 * cut short, padded, corrupted in transit, or is not a message at all. Positions are drawn as
 * any natural number and taken modulo the input length, so one mutation fits every input and
 * shrinks towards the start of it.
 */
import fc from "fast-check"

export type ByteMutation =
  /** Keep only the bytes before `at`. */
  | { readonly kind: "truncate"; readonly at: number }
  /** Append bytes after a complete message. */
  | { readonly kind: "extend"; readonly tail: Uint8Array }
  /** Flip single bits. */
  | { readonly kind: "flip"; readonly bits: readonly number[] }
  /** Replace one byte. */
  | { readonly kind: "overwrite"; readonly at: number; readonly byte: number }
  /** Insert bytes, such as a varint claiming a huge length. */
  | { readonly kind: "insert"; readonly at: number; readonly bytes: Uint8Array }
  /** Keep the bytes before `at` and replace everything after with random bytes. */
  | { readonly kind: "replaceTail"; readonly at: number; readonly tail: Uint8Array }
  /** Ignore the message: random bytes. */
  | { readonly kind: "random"; readonly bytes: Uint8Array }

/** Bytes that sit on decoding edges: zero, one, the varint continuation bit, all ones. */
const EDGE_BYTE = fc.oneof(fc.constantFrom(0x00, 0x01, 0x02, 0x7f, 0x80, 0xff), fc.nat(0xff))

/** Varints claiming 2^32 - 1, 2^40, 2^53 - 1 and a non-canonical zero. */
const HUGE_VARINTS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x20],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f],
  [0x80, 0x00],
].map((bytes) => Uint8Array.from(bytes))

const SHORT_BYTES = fc.uint8Array({ minLength: 1, maxLength: 8 })

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("truncate"), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("extend"), tail: SHORT_BYTES }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("flip"),
      bits: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("overwrite"), at: fc.nat(), byte: EDGE_BYTE }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("insert"),
      at: fc.nat(),
      bytes: fc.oneof(SHORT_BYTES, fc.constantFrom(...HUGE_VARINTS)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("replaceTail"),
      at: fc.nat(),
      tail: fc.uint8Array({ maxLength: 32 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("random"), bytes: fc.uint8Array({ maxLength: 64 }) }),
  },
)

/** `valid` with `mutation` applied, as a new array. */
export function applyMutation(valid: Uint8Array, mutation: ByteMutation): Uint8Array {
  const position = (at: number) => (valid.length === 0 ? 0 : at % valid.length)
  switch (mutation.kind) {
    case "truncate":
      return valid.slice(0, position(mutation.at))
    case "extend":
      return concat(valid, mutation.tail)
    case "flip": {
      const out = valid.slice()
      for (const bit of mutation.bits) {
        if (out.length > 0) out[(bit >> 3) % out.length]! ^= 1 << (bit & 7)
      }
      return out
    }
    case "overwrite": {
      const out = valid.slice()
      if (out.length > 0) out[position(mutation.at)] = mutation.byte
      return out
    }
    case "insert": {
      const at = position(mutation.at)
      return concat(valid.subarray(0, at), mutation.bytes, valid.subarray(at))
    }
    case "replaceTail":
      return concat(valid.subarray(0, position(mutation.at)), mutation.tail)
    case "random":
      return mutation.bytes.slice()
    default:
      return mutation satisfies never
  }
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
