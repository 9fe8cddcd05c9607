/**
 * fast-check arbitraries built from a schema descriptor: valid values of any type of any
 * protocol version, shaped exactly as the generated codecs expect them.
 *
 * - structs are plain objects with their fields in schema order;
 * - unions are `{ tag, val }` over every member (`val: null` for a void member);
 * - enums are the TypeScript string value, which is the descriptor's value name;
 * - `data` is an `ArrayBuffer` of exactly its own bytes (fixed lengths honoured);
 * - 64-bit and variable-length integers are `bigint`s over their whole range;
 * - maps are `Map`s with unique keys, optionals are `null` or a value;
 * - strings mix ASCII, any Unicode code point and a few characters known to be tricky.
 *
 * Sizes stay small by default so a thousand cases of a root type take milliseconds.
 */

import {
  BIGINT_RANGES,
  NUMBER_RANGES,
  namedType,
  resolveType,
  type SchemaDescriptor,
  type TypeDescriptor,
} from "@tunnelwire/runtime"
import fc from "fast-check"
import type { ProtocolVersion } from "../../src/index.js"
import { schemas } from "../../src/index.js"
import type { RootMessage, RootName } from "./root-codecs.js"

export interface ArbitraryOptions {
  /** Most entries in a list or map whose length the schema leaves open. Default 3. */
  readonly maxEntries?: number
  /** Most bytes in a `data` whose length the schema leaves open. Default 24. */
  readonly maxBytes?: number
  /** Most characters (code points or samples) in a string. Default 12. */
  readonly maxChars?: number
  /**
   * Type references followed before optionals, lists and maps stop nesting: what keeps a
   * recursive schema finite. Default 12, deeper than any non-recursive type of v1–v3.
   */
  readonly maxDepth?: number
}

type Settings = Required<ArbitraryOptions>

const DEFAULTS: Settings = { maxEntries: 3, maxBytes: 24, maxChars: 12, maxDepth: 12 }

/** Characters that have broken encoders before: multi-byte, astral, controls, quotes, separators. */
const TRICKY_CHARACTERS = [
  "é",
  "ß",
  "Ω",
  "中",
  "😀",
  "👍🏽",
  "\u0000",
  "\n",
  "\r",
  "\t",
  '"',
  "\\",
  "\u2028",
  "\ufeff",
  "\u{10ffff}",
] as const

const CHARACTER = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY_CHARACTERS) },
)

/** Valid values of the type named `typeName` in `schema`. */
export function arbitraryOf(
  schema: SchemaDescriptor,
  typeName: string,
  options: ArbitraryOptions = {},
): fc.Arbitrary<unknown> {
  const settings: Settings = { ...DEFAULTS, ...options }
  return build(schema, namedType(schema, typeName), settings, 0)
}

/** Valid messages of one root type, typed as the generated codec's message type. */
export function rootArbitrary<V extends ProtocolVersion, R extends RootName<V>>(
  version: V,
  root: R,
  options: ArbitraryOptions = {},
): fc.Arbitrary<RootMessage<V, R>> {
  // The descriptor and the generated types come from the same schema file: the values this
  // builds have the generated type, which TypeScript cannot see through the descriptor.
  return arbitraryOf(schemas[version], root, options) as fc.Arbitrary<RootMessage<V, R>>
}

function build(
  schema: SchemaDescriptor,
  type: TypeDescriptor,
  settings: Settings,
  depth: number,
): fc.Arbitrary<unknown> {
  const nextDepth = type.kind === "ref" ? depth + 1 : depth
  const resolved = resolveType(schema, type)
  const deep = nextDepth > settings.maxDepth
  const inner = (of: TypeDescriptor) => build(schema, of, settings, nextDepth)
  switch (resolved.kind) {
    case "void":
      return fc.constant(null)
    case "bool":
      return fc.boolean()
    case "u8":
    case "u16":
    case "u32":
    case "i8":
    case "i16":
    case "i32": {
      const [min, max] = NUMBER_RANGES[resolved.kind]
      return fc.integer({ min, max })
    }
    case "u64":
    case "uint":
    case "i64":
    case "int": {
      const [min, max] = BIGINT_RANGES[resolved.kind]
      return fc.bigInt({ min, max })
    }
    case "f32":
      return fc.float()
    case "f64":
      return fc.double()
    case "str":
      return stringArbitrary(settings.maxChars)
    case "enum":
      return fc.constantFrom(...resolved.values.map((value) => value.name))
    case "data":
      return dataArbitrary(resolved.length, settings.maxBytes)
    case "optional":
      return deep ? fc.constant(null) : fc.option(inner(resolved.of), { nil: null })
    case "list":
      if (resolved.length !== undefined) {
        return fc.array(inner(resolved.of), {
          minLength: resolved.length,
          maxLength: resolved.length,
        })
      }
      return deep
        ? fc.constant(null).map(() => [])
        : fc.array(inner(resolved.of), {
            maxLength: settings.maxEntries,
          })
    case "map":
      return deep
        ? fc.constant(null).map(() => new Map())
        : fc
            .uniqueArray(fc.tuple(inner(resolved.key), inner(resolved.value)), {
              selector: ([key]) => key,
              maxLength: settings.maxEntries,
            })
            .map((entries) => new Map(entries))
    case "struct":
      return fc
        .tuple(...resolved.fields.map((field) => inner(field.type)))
        .map((values) =>
          Object.fromEntries(resolved.fields.map((field, i) => [field.name, values[i]])),
        )
    case "union":
      return fc.oneof(
        ...resolved.members.map((member) =>
          inner(member.type).map((val) => ({ tag: member.name, val })),
        ),
      )
    default:
      return resolved satisfies never
  }
}

function stringArbitrary(maxChars: number): fc.Arbitrary<string> {
  return fc.string({ unit: CHARACTER, maxLength: maxChars })
}

function dataArbitrary(length: number | undefined, maxBytes: number): fc.Arbitrary<ArrayBuffer> {
  if (length !== undefined) {
    return fc.uint8Array({ minLength: length, maxLength: length }).map(ownBuffer)
  }
  // Text-like payloads too, so the printable preview of `stringify` gets exercised.
  return fc
    .oneof(
      fc.uint8Array({ maxLength: maxBytes }),
      stringArbitrary(maxBytes).map((text) => new TextEncoder().encode(text)),
    )
    .map(ownBuffer)
}

/** A buffer holding exactly these bytes, as decoders produce. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer
}
