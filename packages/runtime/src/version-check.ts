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

/**
 * The version check of a family's version-aware functions (`decodeX(bytes, { version })`): bytes
 * do not say which version wrote them, so a missing version is a `VersionError` naming the
 * choices, never the latest by default (callers without types can still omit it).
 */
export function versionNamer<V extends number>(
  known: readonly V[],
): (options: { readonly version?: number } | undefined, fn: string) => V {
  const choices = known.join(" | ")
  return (options, fn) => {
    if (options?.version === undefined) {
      throw new VersionError(`${fn} needs the protocol version: { version: ${choices} }`)
    }
    return checkedVersion(options.version, known)
  }
}
