import {
  resolveType,
  type SchemaDescriptor,
  TunnelwireError,
  VersionError,
} from "@tunnelwire/runtime"
import { LATEST_VERSION, type ProtocolVersion, schemas } from "./gen/versions.js"

export function isProtocolVersion(version: number): version is ProtocolVersion {
  return Object.hasOwn(schemas, version)
}

/** The descriptor of `version` (default: latest); an unknown version is a `VersionError`. */
export function schemaOf(version: number = LATEST_VERSION): SchemaDescriptor {
  if (!isProtocolVersion(version)) {
    const known = Object.keys(schemas).join(", ")
    throw new VersionError(
      `unknown protocol version ${version}; this build knows ${known}`,
      version,
    )
  }
  return schemas[version]
}

/**
 * The root type a message belongs to, found from its union tag (`ToClientInit` → `ToClient`).
 * Messages without a tag (such as `ToGateway`) need their type named.
 */
export function inferRootType(schema: SchemaDescriptor, message: unknown): string {
  const tag =
    typeof message === "object" && message !== null && "tag" in message ? message.tag : undefined
  const root = schema.roots.find((name) => {
    const type = resolveType(schema, { kind: "ref", name })
    return type.kind === "union" && type.members.some((member) => member.name === tag)
  })
  if (root === undefined) {
    throw new TunnelwireError(
      `cannot tell the v${schema.version} type of this message; pass { type: "ToGateway" } or another type name`,
    )
  }
  return root
}
