// The seam between the runtime and generated code: exactly what a module written by
// `tunnelwire gen` may call, under one specifier, `@tunnelwire/runtime/codegen`. Generated code
// imports nothing else (not even @bare-ts/lib, re-exported here as `bare`), so a family's
// package depends on this one alone, and the runtime can change behind these names.
export * as bare from "@bare-ts/lib"
export type { BytesLike } from "./bytes.js"
export type { SchemaDescriptor } from "./descriptor.js"
export { readEmbeddedVersion, writeEmbeddedVersion } from "./embedded-version.js"
export { VersionError } from "./errors.js"
export { fromJsonValue, type JsonValue, toJsonValue } from "./json-mapping.js"
export {
  type DowngradeOptions,
  MessageDropped,
  type MigrationContext,
  mapEntries,
  mapList,
  mapOptional,
  migrationContext,
  upgradeContext,
} from "./migration-context.js"
export {
  decodeRoot,
  encodeRoot,
  encodeRootInto,
  type PutValue,
  type SizeOf,
  writeValue,
} from "./root-codec.js"
export { type StringifyOptions, stringifyValue } from "./stringify.js"
export { checkedVersion, versionNamer } from "./version-check.js"
export * from "./wire-read.js"
export * from "./wire-write.js"
