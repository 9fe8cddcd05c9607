// The runner protocol: its generated codecs, migrations and semantics. The version-independent
// machinery (stringify, JSON mapping, errors, embedded-version frames) is @tunnelwire/runtime's,
// re-exported here so code written against this package imports one package.
export {
  asUint8Array,
  type BytesLike,
  DecodeError,
  DowngradeError,
  type DowngradeOptions,
  EMBEDDED_VERSION_HEADER_SIZE,
  type EmbeddedVersionFrame,
  EncodeError,
  type EnumValueDescriptor,
  type FieldDescriptor,
  JsonMappingError,
  type JsonValue,
  type Loss,
  type LossPolicy,
  type MigrationContext,
  type PrimitiveKind,
  REDACTED,
  readEmbeddedVersion,
  redactHeader,
  redactPath,
  type SchemaDescriptor,
  type StringifyOptions,
  TunnelwireError,
  type TypeDescriptor,
  type UnionMemberDescriptor,
  VersionError,
  writeEmbeddedVersion,
} from "@tunnelwire/runtime"
export * from "./gen/versioned.js"
// Every version namespace (v1, v2, …, latest) and the version tables, including versions added
// by `tunnelwire bump`.
export * from "./gen/versions.js"
export { fromJson, type MessageTypeOptions, redact, stringify, toJson } from "./message-text.js"
export { NO_MESSAGE_INDEX } from "./migrations/v1-to-v2.js"
export { type FrameType, redactFrame } from "./redact-frame.js"
export { inferRootType, isProtocolVersion, schemaOf } from "./schema-registry.js"
export * from "./semantics/index.js"
