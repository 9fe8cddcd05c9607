import {
  fromJsonValue,
  type JsonValue,
  redactValue,
  type StringifyOptions,
  stringifyValue,
  toJsonValue,
} from "@tunnelwire/runtime"
import { inferRootType, schemaOf } from "./schema-registry.js"

export interface MessageTypeOptions {
  /** Protocol version of the message. Default: the latest. */
  readonly version?: number
  /** Type name, such as `ToServer` or `KvMetadata`. Default: found from a root union's tag. */
  readonly type?: string
}

/** One human-readable line for any message of any version; secrets redacted unless `redact: false`. */
export function stringify(
  message: unknown,
  options: StringifyOptions & MessageTypeOptions = {},
): string {
  const schema = schemaOf(options.version)
  return stringifyValue(schema, options.type ?? inferRootType(schema, message), message, options)
}

/** The lossless JSON form of any message (see `toJsonValue` for the mapping rules). */
export function toJson(message: unknown, options: MessageTypeOptions = {}): JsonValue {
  const schema = schemaOf(options.version)
  return toJsonValue(schema, options.type ?? inferRootType(schema, message), message)
}

/** The inverse of {@link toJson}; the type must be named, since JSON alone cannot tell it. */
export function fromJson(json: unknown, options: MessageTypeOptions & { type: string }): unknown {
  return fromJsonValue(schemaOf(options.version), options.type, json)
}

/**
 * The message with every credential replaced by `<redacted>` (header values such as
 * authorization, cookies and tokens, and credential query parameters in paths). It still
 * encodes, so a redacted frame stays a frame.
 */
export function redact<T>(message: T, options: MessageTypeOptions = {}): T {
  const schema = schemaOf(options.version)
  return redactValue(schema, options.type ?? inferRootType(schema, message), message) as T
}
