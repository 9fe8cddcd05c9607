// Property: a valid message with one node replaced by a value its wire type cannot hold never
// encodes. Whatever the node (a leaf, a struct, a list, a union tag, the root itself) and
// whatever the wrong value, every encoder throws an `EncodeError` that points at or below the
// replaced node; never bytes, never another exception.

import {
  BIGINT_RANGES,
  NUMBER_RANGES,
  resolveType,
  type SchemaDescriptor,
  type TypeDescriptor,
} from "@tunnelwire/runtime"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EncodeError, PROTOCOL_VERSIONS, schemas } from "../src/index.js"
import { arbitraryOf } from "./support/arbitrary.js"
import { rootCodecOf } from "./support/root-codecs.js"

/** Where a value sits in a message, the wire type there, and how to rebuild with it replaced. */
interface Node {
  readonly path: string
  /** A wire type, or `tag` for the `tag` property of a union value. */
  readonly type: TypeDescriptor | { readonly kind: "tag"; readonly names: readonly unknown[] }
  readonly replace: (value: unknown) => unknown
}

function nodesOf(
  schema: SchemaDescriptor,
  type: TypeDescriptor,
  value: unknown,
  path: string,
  replace: (value: unknown) => unknown,
): Node[] {
  const nodes: Node[] = [{ path, type, replace }]
  const resolved = resolveType(schema, type)
  const below = (
    inner: TypeDescriptor,
    child: unknown,
    at: string,
    rebuild: (v: unknown) => unknown,
  ) => nodesOf(schema, inner, child, at, (v) => replace(rebuild(v)))
  switch (resolved.kind) {
    case "optional":
      if (value !== null) nodes.push(...below(resolved.of, value, path, (v) => v).slice(1))
      break
    case "list": {
      const items = value as readonly unknown[]
      items.forEach((item, i) => {
        nodes.push(
          ...below(resolved.of, item, `${path}[${i}]`, (v) =>
            items.map((x, j) => (j === i ? v : x)),
          ),
        )
      })
      break
    }
    case "map": {
      const entries = [...(value as Map<unknown, unknown>)]
      entries.forEach(([key, entry]) => {
        const at = `${path}.get(${typeof key === "string" ? JSON.stringify(key) : String(key)})`
        nodes.push(
          ...below(
            resolved.value,
            entry,
            at,
            (v) => new Map(entries.map(([k, e]) => [k, k === key ? v : e])),
          ),
        )
      })
      break
    }
    case "struct": {
      const fields = value as Record<string, unknown>
      for (const field of resolved.fields) {
        nodes.push(
          ...below(field.type, fields[field.name], `${path}.${field.name}`, (v) => ({
            ...fields,
            [field.name]: v,
          })),
        )
      }
      break
    }
    case "union": {
      const { tag, val } = value as { tag: unknown; val: unknown }
      const member = resolved.members.find((m) => m.name === tag)!
      nodes.push({
        path: `${path}.tag`,
        type: { kind: "tag", names: resolved.members.map((m) => m.name) },
        replace: (v) => replace({ tag: v, val }),
      })
      nodes.push(...below(member.type, val, `${path}.val`, (v) => ({ tag, val: v })))
      break
    }
    default:
      break
  }
  return nodes
}

/** The test's own statement of what each wire type accepts, independent of the encoders. */
function accepts(schema: SchemaDescriptor, type: Node["type"], value: unknown): boolean {
  if (type.kind === "tag") return type.names.includes(value)
  const resolved = resolveType(schema, type)
  switch (resolved.kind) {
    case "void":
      return value === null || value === undefined
    case "bool":
      return typeof value === "boolean"
    case "u8":
    case "u16":
    case "u32":
    case "i8":
    case "i16":
    case "i32": {
      const [min, max] = NUMBER_RANGES[resolved.kind]
      return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    }
    case "u64":
    case "uint":
    case "i64":
    case "int": {
      const [min, max] = BIGINT_RANGES[resolved.kind]
      return typeof value === "bigint" && value >= min && value <= max
    }
    case "f32":
    case "f64":
      return typeof value === "number"
    case "str":
      return typeof value === "string" && value.isWellFormed()
    case "enum":
      return resolved.values.some((v) => v.name === value)
    case "data":
      return (
        (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) &&
        (resolved.length === undefined || value.byteLength === resolved.length)
      )
    case "optional":
      return value === null || (value !== undefined && accepts(schema, resolved.of, value))
    case "list":
      return (
        Array.isArray(value) &&
        (resolved.length === undefined || value.length === resolved.length) &&
        value.every((item) => accepts(schema, resolved.of, item))
      )
    case "map":
      return (
        value instanceof Map &&
        [...value].every(
          ([k, v]) => accepts(schema, resolved.key, k) && accepts(schema, resolved.value, v),
        )
      )
    case "struct":
      return (
        typeof value === "object" &&
        value !== null &&
        resolved.fields.every((f) =>
          accepts(schema, f.type, (value as Record<string, unknown>)[f.name]),
        )
      )
    case "union": {
      if (typeof value !== "object" || value === null) return false
      const { tag, val } = value as { tag?: unknown; val?: unknown }
      const member = resolved.members.find((m) => m.name === tag)
      return member !== undefined && accepts(schema, member.type, val)
    }
    default:
      return resolved satisfies never
  }
}

/** Values of every JavaScript type, and values right beside what some wire type accepts. */
const WRONG_VALUES: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    true,
    0,
    -1,
    1.5,
    256,
    65_536,
    2 ** 32,
    2 ** 53,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0x8000_0001,
    0n,
    -1n,
    2n ** 64n,
    -(2n ** 63n) - 1n,
    "",
    "OK",
    "\ud800",
    "x\udc00y",
    "1",
    [],
    [1],
    {},
    { tag: "Nope", val: null },
    new Map(),
    new Map([[1, 1]]),
    new Set([1]),
    new ArrayBuffer(3),
    new Uint16Array(2),
    () => 1,
    Symbol("wrong"),
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.uint8Array({ maxLength: 20 }).map((bytes) => bytes.buffer),
)

describe.each(PROTOCOL_VERSIONS)("v%i", (version) => {
  const schema = schemas[version]

  describe.each(schema.roots)("%s", (root) => {
    const codec = rootCodecOf(version, root)
    const cases = arbitraryOf(schema, root).chain((message) => {
      const nodes = nodesOf(schema, { kind: "ref", name: root }, message, root, (v) => v)
      return fc.tuple(fc.constantFrom(...nodes), WRONG_VALUES)
    })

    it("refuses every wrong value with an EncodeError at or below the replaced node", () => {
      fc.assert(
        fc.property(cases, ([node, wrong]) => {
          fc.pre(!accepts(schema, node.type, wrong))
          const message = node.replace(wrong)
          let thrown: unknown
          try {
            codec.encode(message)
          } catch (error) {
            thrown = error
          }
          expect(thrown).toBeInstanceOf(EncodeError)
          const error = thrown as EncodeError
          expect(error).toMatchObject({ type: root, version })
          expect(
            error.path === node.path ||
              error.path.startsWith(`${node.path}.`) ||
              error.path.startsWith(`${node.path}[`),
          ).toBe(true)
        }),
        { numRuns: 1000 },
      )
    })
  })
})
