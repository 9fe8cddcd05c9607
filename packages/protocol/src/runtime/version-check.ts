import { VersionError } from "./errors.js"

/**
 * `version` if it is one of `known`, else a `VersionError`; `undefined` means the latest.
 * Never falls back: a typo in a version number must not silently speak another version.
 */
export function checkedVersion<V extends number>(
  version: number | undefined,
  known: readonly V[],
): V {
  if (version === undefined) return known[known.length - 1]!
  if ((known as readonly number[]).includes(version)) return version as V
  throw new VersionError(
    `unsupported protocol version ${String(version)}; supported: ${known.join(", ")}`,
    version,
  )
}
