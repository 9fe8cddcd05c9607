/**
 * The versioned codec as it read and wrote while v3 was the latest version: v1–v3 bytes read into
 * the v3 shape and v3 messages written as v1–v3, through the same generated steps the public API
 * composes. The v1–v3 conversion tests keep their v3-shaped messages through it now that the
 * public API works in the v7 shape.
 */

import type { BytesLike } from "@tunnelwire/runtime"
import {
  type DowngradeOptions,
  readEmbeddedVersion,
  type v1,
  type v2,
  type v3,
  writeEmbeddedVersion,
} from "../../src/index.js"
import { rootCodecOf } from "../support/root-codecs.js"
import { downgradeBetween, upgradeBetween } from "./chain.js"

const V3 = 3

type Version = 1 | 2 | 3
interface VersionOption {
  readonly version: Version
}
type EncodeOptions = VersionOption & DowngradeOptions

function decodeAs<T>(root: string, bytes: BytesLike, { version }: VersionOption): T {
  return upgradeBetween(root, rootCodecOf(version, root).decode(bytes), version, V3) as T
}

function encodeAs(root: string, message: unknown, options: EncodeOptions): Uint8Array | null {
  const down = downgradeBetween(root, message, V3, options.version, options)
  return down === null ? null : rootCodecOf(options.version, root).encode(down)
}

export const decodeToClient = (bytes: BytesLike, options: VersionOption) =>
  decodeAs<v3.ToClient>("ToClient", bytes, options)
export const decodeToServer = (bytes: BytesLike, options: VersionOption) =>
  decodeAs<v3.ToServer>("ToServer", bytes, options)

export const encodeToClient = (message: v3.ToClient, options: EncodeOptions) =>
  encodeAs("ToClient", message, options)
export const encodeToServer = (message: v3.ToServer, options: EncodeOptions) =>
  encodeAs("ToServer", message, options)

export function decodeToClientFrame(frame: BytesLike) {
  const { version, payload } = readEmbeddedVersion(frame)
  return { version, message: decodeToClient(payload, { version: version as Version }) }
}

function frameOf(bytes: Uint8Array | null, version: number): Uint8Array | null {
  return bytes === null ? null : writeEmbeddedVersion(version, bytes)
}

export const encodeToClientFrame = (message: v3.ToClient, options: EncodeOptions) =>
  frameOf(encodeToClient(message, options), options.version)
export const encodeToServerFrame = (message: v3.ToServer, options: EncodeOptions) =>
  frameOf(encodeToServer(message, options), options.version)

export const upgradeToClient = (message: v1.ToClient | v2.ToClient | v3.ToClient, from: Version) =>
  upgradeBetween("ToClient", message, from, V3) as v3.ToClient
export const upgradeToServer = (message: v1.ToServer | v2.ToServer | v3.ToServer, from: Version) =>
  upgradeBetween("ToServer", message, from, V3) as v3.ToServer

export const downgradeToClient = (message: v3.ToClient, to: Version, options?: DowngradeOptions) =>
  downgradeBetween("ToClient", message, V3, to, options) as v1.ToClient | v2.ToClient | null
export const downgradeToServer = (message: v3.ToServer, to: Version, options?: DowngradeOptions) =>
  downgradeBetween("ToServer", message, V3, to, options) as v1.ToServer | v2.ToServer | null
export const downgradeToGateway = (
  message: v3.ToGateway,
  to: Version,
  options?: DowngradeOptions,
) => downgradeBetween("ToGateway", message, V3, to, options) as v1.ToGateway | v2.ToGateway | null
