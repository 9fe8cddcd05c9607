import type { SchemaDescriptor } from "../schema/model.ts"
import { runtimeImport } from "./runtime-import.ts"

/**
 * `gen/vN/index.ts`: the public face of one version. Everything the codec module declares, plus
 * for every root type `encodeX`/`decodeX` (typed errors, any byte view accepted), and for every
 * type `stringifyX`, `toJsonX` and `fromJsonX` driven by the schema descriptor.
 */
export function emitFacadeModule(schema: SchemaDescriptor): string {
  const lines: string[] = [
    runtimeImport([
      "type BytesLike",
      "decodeRoot",
      "encodeRoot",
      "encodeRootInto",
      "fromJsonValue",
      "type JsonValue",
      "type StringifyOptions",
      "stringifyValue",
      "toJsonValue",
    ]),
    'import * as codec from "./codec.js"',
    'import * as encoders from "./encoders.js"',
    'import { schema } from "./schema.js"',
    "",
    'export * from "./codec.js"',
    "export { schema }",
    "",
    `export const version = ${schema.version}`,
    "",
  ]
  for (const root of schema.roots) {
    lines.push(
      `/** Encodes a v${schema.version} \`${root}\` message. Throws \`EncodeError\`. */`,
      `export function encode${root}(message: codec.${root}): Uint8Array {`,
      `  return encodeRoot(encoders.size${root}, encoders.put${root}, message, schema, "${root}")`,
      "}",
      "",
      `/** Encodes a v${schema.version} \`${root}\` message into \`target\` without allocating; returns the length. */`,
      `export function encode${root}Into(message: codec.${root}, target: Uint8Array): number {`,
      `  return encodeRootInto(encoders.size${root}, encoders.put${root}, message, target, schema, "${root}")`,
      "}",
      "",
      `/** Decodes one whole v${schema.version} \`${root}\` message. Throws \`DecodeError\` with the byte offset. */`,
      `export function decode${root}(bytes: BytesLike): codec.${root} {`,
      `  return decodeRoot(codec.read${root}, bytes, "${root}", version)`,
      "}",
      "",
    )
  }
  lines.push(
    "/** The root types of this version, by name: what travels on its own in a frame. */",
    "export const rootTypes = {",
    ...schema.roots.map(
      (root) =>
        `  ${root}: { encode: encode${root}, decode: decode${root}, stringify: stringify${root}, toJson: toJson${root}, fromJson: fromJson${root} },`,
    ),
    "} as const",
    "",
    "export type RootTypeName = keyof typeof rootTypes",
    "",
  )
  for (const name of Object.keys(schema.types)) {
    lines.push(
      `export function stringify${name}(value: codec.${name}, options?: StringifyOptions): string {`,
      `  return stringifyValue(schema, "${name}", value, options)`,
      "}",
      "",
      `export function toJson${name}(value: codec.${name}): JsonValue {`,
      `  return toJsonValue(schema, "${name}", value)`,
      "}",
      "",
      `export function fromJson${name}(json: unknown): codec.${name} {`,
      `  return fromJsonValue(schema, "${name}", json) as codec.${name}`,
      "}",
      "",
    )
  }
  return `${lines.join("\n").trimEnd()}\n`
}

/** `gen/vN/schema.ts`: the descriptor of one version, as data. */
export function emitSchemaModule(schema: SchemaDescriptor): string {
  return [
    runtimeImport(["type SchemaDescriptor"]),
    "",
    `export const schema: SchemaDescriptor = ${JSON.stringify(schema, null, 2)}`,
    "",
  ].join("\n")
}

/** `gen/versions.ts`: every version as a namespace, and which one is the latest. */
export function emitVersionsModule(versions: readonly number[]): string {
  const latest = Math.max(...versions)
  return [
    ...versions.map((v) => `import { rootTypes as rootTypesV${v} } from "./v${v}/index.js"`),
    ...versions.map((v) => `import { schema as schemaV${v} } from "./v${v}/schema.js"`),
    "",
    ...versions.map((v) => `export * as v${v} from "./v${v}/index.js"`),
    `export * as latest from "./v${latest}/index.js"`,
    "",
    `export const LATEST_VERSION = ${latest}`,
    `export const PROTOCOL_VERSIONS = [${versions.join(", ")}] as const`,
    "export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number]",
    "",
    "/** The schema descriptor of every version. */",
    "export const schemas = {",
    ...versions.map((v) => `  ${v}: schemaV${v},`),
    "} as const",
    "",
    "/** The root-type codecs (`encode`, `decode`, `stringify`, `toJson`, `fromJson`) of every version. */",
    "export const rootTypesByVersion = {",
    ...versions.map((v) => `  ${v}: rootTypesV${v},`),
    "} as const",
    "",
  ].join("\n")
}
