export type { EmbeddedVersionFrame } from "./embedded-version.js"
export {
  EMBEDDED_VERSION_HEADER_SIZE,
  readEmbeddedVersion,
  writeEmbeddedVersion,
} from "./embedded-version.js"
export * from "./gen/versioned.js"
// Every version namespace (v1, v2, …, latest) and the version tables, including versions added
// by `tunnelwire bump`.
export * from "./gen/versions.js"
export { fromJson, type MessageTypeOptions, redact, stringify, toJson } from "./message-text.js"
export { NO_MESSAGE_INDEX } from "./migrations/v1-to-v2.js"
export { type FrameType, redactFrame } from "./redact-frame.js"
export { asUint8Array, type BytesLike } from "./runtime/bytes.js"
export type {
  EnumValueDescriptor,
  FieldDescriptor,
  PrimitiveKind,
  SchemaDescriptor,
  TypeDescriptor,
  UnionMemberDescriptor,
} from "./runtime/descriptor.js"
export {
  DecodeError,
  EncodeError,
  JsonMappingError,
  TunnelwireError,
  VersionError,
} from "./runtime/errors.js"
export { REDACTED, redactHeader, redactPath } from "./runtime/header-redaction.js"
export type { JsonValue } from "./runtime/json-mapping.js"
export {
  DowngradeError,
  type DowngradeOptions,
  type Loss,
  type LossPolicy,
  type MigrationContext,
} from "./runtime/migration-context.js"
export type { StringifyOptions } from "./runtime/stringify.js"
export { inferRootType, isProtocolVersion, schemaOf } from "./schema-registry.js"
export * from "./semantics/index.js"
