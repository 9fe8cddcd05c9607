/**
 * `@tunnelwire/protocol/pinned/v3`: the package as it was while v3 was the latest version, for
 * code that implements v3 and talks to v1–v3 peers (the runner SDK, the gateway mock and the
 * inspector, until they move to v7). Everything the root exports, except that `latest`, the
 * version tables, the versioned codec and the version defaults of `stringify`, `toJson`, `redact`,
 * `fromJson` and `schemaOf` all mean v3, so a bump does not change what its callers' code means.
 */

import type { JsonValue, StringifyOptions } from "@tunnelwire/runtime"
import * as root from "../index.js"

export * as latest from "../gen/v3/index.js"
// Named, so they take the place of the root's v7-shaped codec of the same names.
export {
  type DecodedFrame,
  decodeToClient,
  decodeToClientFrame,
  decodeToGateway,
  decodeToGatewayFrame,
  decodeToServer,
  decodeToServerFrame,
  decodeToServerlessServer,
  decodeToServerlessServerFrame,
  downgradeToClient,
  downgradeToGateway,
  downgradeToServer,
  downgradeToServerlessServer,
  type EncodeOptions,
  encodeToClient,
  encodeToClientFrame,
  encodeToGateway,
  encodeToGatewayFrame,
  encodeToServer,
  encodeToServerFrame,
  encodeToServerlessServer,
  encodeToServerlessServerFrame,
  upgradeToClient,
  upgradeToGateway,
  upgradeToServer,
  upgradeToServerlessServer,
  type VersionOptions,
} from "../gen/versioned-v3.js"
export * from "../index.js"

export const LATEST_VERSION = 3
export const PROTOCOL_VERSIONS = [1, 2, 3] as const
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number]

export function isProtocolVersion(version: number): version is ProtocolVersion {
  return (PROTOCOL_VERSIONS as readonly number[]).includes(version)
}

/** The descriptor of `version` (default v3); a version above v3 is a `VersionError` here. */
export function schemaOf(version: number = LATEST_VERSION): root.SchemaDescriptor {
  if (!isProtocolVersion(version)) {
    throw new root.VersionError(
      `unknown protocol version ${version}; @tunnelwire/protocol/pinned/v3 knows ${PROTOCOL_VERSIONS.join(", ")}`,
      version,
    )
  }
  return root.schemaOf(version)
}

export const schemas = {
  1: root.schemas[1],
  2: root.schemas[2],
  3: root.schemas[3],
} as const

export const rootTypesByVersion = {
  1: root.rootTypesByVersion[1],
  2: root.rootTypesByVersion[2],
  3: root.rootTypesByVersion[3],
} as const

export function stringify(
  message: unknown,
  options: StringifyOptions & root.MessageTypeOptions = {},
): string {
  return root.stringify(message, { ...options, version: schemaOf(options.version).version })
}

export function toJson(message: unknown, options: root.MessageTypeOptions = {}): JsonValue {
  return root.toJson(message, { ...options, version: schemaOf(options.version).version })
}

export function fromJson(json: unknown, options: root.MessageTypeOptions & { type: string }) {
  return root.fromJson(json, { ...options, version: schemaOf(options.version).version })
}

export function redact<T>(message: T, options: root.MessageTypeOptions = {}): T {
  return root.redact(message, { ...options, version: schemaOf(options.version).version })
}
