/**
 * Moving a message of one root type between any two versions: through the public versioned API
 * when one end is the latest version, and by composing the generated adjacent steps
 * (`src/gen/migrations/vA-vB.ts`) otherwise, as the public API has no entry point for them.
 */

import type { BytesLike } from "@tunnelwire/runtime"
import {
  MessageDropped,
  type MigrationContext,
  migrationContext,
  upgradeContext,
} from "@tunnelwire/runtime/codegen"
import * as steps1to2 from "../../src/gen/migrations/v1-v2.js"
import * as steps2to3 from "../../src/gen/migrations/v2-v3.js"
import * as steps3to4 from "../../src/gen/migrations/v3-v4.js"
import * as steps4to5 from "../../src/gen/migrations/v4-v5.js"
import * as steps5to6 from "../../src/gen/migrations/v5-v6.js"
import * as steps6to7 from "../../src/gen/migrations/v6-v7.js"
import {
  type DowngradeOptions,
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
  LATEST_VERSION,
  upgradeToClient,
  upgradeToGateway,
  upgradeToServer,
  upgradeToServerlessServer,
  type VersionOptions,
} from "../../src/index.js"

/**
 * The root types every version has: the types the versioned API offers. (v4 added ToRunner and
 * ActorCommandKeyData, engine-internal types with no v1–v3 counterpart.)
 */
export const SHARED_ROOTS = ["ToServer", "ToClient", "ToGateway", "ToServerlessServer"] as const

export type LatestRoot = (typeof SHARED_ROOTS)[number]

/**
 * The versioned API of one root type with its message types left open, so one loop drives every
 * root. Method syntax on purpose: it lets the typed functions stand in for these signatures.
 */
export interface VersionedRoot {
  decode(bytes: BytesLike, options: VersionOptions): unknown
  encode(message: unknown, options: EncodeOptions): Uint8Array | null
  upgrade(message: unknown, from: number): unknown
  downgrade(message: unknown, to: number, options?: DowngradeOptions): unknown
  decodeFrame(frame: BytesLike): { readonly version: number; readonly message: unknown }
  encodeFrame(message: unknown, options: EncodeOptions): Uint8Array | null
}

export const versionedRoots: Readonly<Record<LatestRoot, VersionedRoot>> = {
  ToServer: {
    decode: decodeToServer,
    encode: encodeToServer,
    upgrade: upgradeToServer,
    downgrade: downgradeToServer,
    decodeFrame: decodeToServerFrame,
    encodeFrame: encodeToServerFrame,
  },
  ToClient: {
    decode: decodeToClient,
    encode: encodeToClient,
    upgrade: upgradeToClient,
    downgrade: downgradeToClient,
    decodeFrame: decodeToClientFrame,
    encodeFrame: encodeToClientFrame,
  },
  ToGateway: {
    decode: decodeToGateway,
    encode: encodeToGateway,
    upgrade: upgradeToGateway,
    downgrade: downgradeToGateway,
    decodeFrame: decodeToGatewayFrame,
    encodeFrame: encodeToGatewayFrame,
  },
  ToServerlessServer: {
    decode: decodeToServerlessServer,
    encode: encodeToServerlessServer,
    upgrade: upgradeToServerlessServer,
    downgrade: downgradeToServerlessServer,
    decodeFrame: decodeToServerlessServerFrame,
    encodeFrame: encodeToServerlessServerFrame,
  },
}

export function isLatestRoot(name: string): name is LatestRoot {
  return Object.hasOwn(versionedRoots, name)
}

export function versionedRootOf(name: string): VersionedRoot {
  if (!isLatestRoot(name)) throw new Error(`the versioned API has no root type ${name}`)
  return versionedRoots[name]
}

/**
 * One generated converter with its types left open. Declared as a method so that the typed
 * converters (which accept less than `unknown`) fit it.
 */
type Convert = { convert(value: unknown, ctx: MigrationContext): unknown }["convert"]

type ConverterTable = Readonly<Record<string, Convert | undefined>>

/** The generated converters of one adjacent step, by type name. */
interface Step {
  readonly upgrade: ConverterTable
  readonly downgrade: ConverterTable
}

/**
 * The generated step from version N to N + 1, by N. (Spread because TypeScript lets an interface
 * such as `UpgradeTable` stand in for a record only as a copy; the converters are the same.)
 */
export const steps: Readonly<Record<number, Step>> = {
  1: { upgrade: { ...steps1to2.upgrade }, downgrade: { ...steps1to2.downgrade } },
  2: { upgrade: { ...steps2to3.upgrade }, downgrade: { ...steps2to3.downgrade } },
  3: { upgrade: { ...steps3to4.upgrade }, downgrade: { ...steps3to4.downgrade } },
  4: { upgrade: { ...steps4to5.upgrade }, downgrade: { ...steps4to5.downgrade } },
  5: { upgrade: { ...steps5to6.upgrade }, downgrade: { ...steps5to6.downgrade } },
  6: { upgrade: { ...steps6to7.upgrade }, downgrade: { ...steps6to7.downgrade } },
}

/** The generated converter of `type` in the step between `version` and `version + 1`. */
export function stepConverter(version: number, direction: keyof Step, type: string): Convert {
  const convert = steps[version]?.[direction][type]
  if (convert === undefined) {
    throw new Error(`no generated ${direction} of ${type} between v${version} and v${version + 1}`)
  }
  return convert
}

/** `value` of version `from` as version `to` (from ≤ to); upgrades never lose anything. */
export function upgradeBetween(root: string, value: unknown, from: number, to: number): unknown {
  if (to === LATEST_VERSION && isLatestRoot(root)) return versionedRootOf(root).upgrade(value, from)
  let current = value
  for (let version = from; version < to; version++) {
    current = stepConverter(version, "upgrade", root)(current, upgradeContext(version, version + 1))
  }
  return current
}

/**
 * `value` of version `from` as version `to` (from ≥ to), or `null` when under `lossy: "drop"`
 * it has no counterpart there; throws `DowngradeError` under the default policy.
 */
export function downgradeBetween(
  root: string,
  value: unknown,
  from: number,
  to: number,
  options: DowngradeOptions = {},
): unknown {
  if (from === LATEST_VERSION && isLatestRoot(root)) {
    return versionedRootOf(root).downgrade(value, to, options)
  }
  let current = value
  try {
    for (let version = from; version > to; version--) {
      const context = migrationContext(version, version - 1, options)
      current = stepConverter(version - 1, "downgrade", root)(current, context)
    }
  } catch (error) {
    if (error instanceof MessageDropped) return null
    throw error
  }
  return current
}
