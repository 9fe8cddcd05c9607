// What a program using generated code, or a tool working with schemas, may import. Generated
// modules import `@tunnelwire/runtime/codegen` instead (see codegen.ts).
export { fromBase64, toBase64 } from "./base64.js"
export { asUint8Array, type BytesLike } from "./bytes.js"
export {
  type EnumValueDescriptor,
  type FieldDescriptor,
  namedType,
  type PrimitiveKind,
  type ResolvedType,
  resolveType,
  type SchemaDescriptor,
  type TypeDescriptor,
  type UnionMemberDescriptor,
} from "./descriptor.js"
export {
  EMBEDDED_VERSION_HEADER_SIZE,
  type EmbeddedVersionFrame,
  readEmbeddedVersion,
  writeEmbeddedVersion,
} from "./embedded-version.js"
export { describeValue, type EncodeFault, findEncodeFault } from "./encode-diagnosis.js"
export {
  DecodeError,
  EncodeError,
  JsonMappingError,
  TunnelwireError,
  VersionError,
} from "./errors.js"
export { REDACTED, redactHeader, redactPath } from "./header-redaction.js"
export { fromHex, toHex } from "./hex.js"
export { BIGINT_RANGES, inBigintRange, inNumberRange, NUMBER_RANGES } from "./integer-ranges.js"
export { fromJsonValue, type JsonValue, toJsonValue } from "./json-mapping.js"
export {
  DowngradeError,
  type DowngradeOptions,
  type Loss,
  type LossPolicy,
  type MigrationContext,
} from "./migration-context.js"
export { redactValue } from "./redact-value.js"
export { type StringifyOptions, stringifyValue } from "./stringify.js"
export { typeText } from "./type-text.js"
