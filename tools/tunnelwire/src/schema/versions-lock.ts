import { existsSync, readFileSync, writeFileSync } from "node:fs"

/**
 * `versions.json`: which schema versions are released, and the fingerprint each had when it was
 * released. A released version is frozen: `tunnelwire check` fails when its fingerprint moves.
 */
export interface VersionsLock {
  readonly released: Readonly<Record<string, { readonly fingerprint: string }>>
}

export function readVersionsLock(path: string): VersionsLock {
  if (!existsSync(path)) return { released: {} }
  return parseVersionsLock(readFileSync(path, "utf8"), path)
}

/** Parses the text of a versions lock; `file` names it in errors. */
export function parseVersionsLock(text: string, file: string): VersionsLock {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== "object" || parsed === null || !("released" in parsed)) {
    throw new Error(`${file}: expected an object with a "released" map`)
  }
  return parsed as VersionsLock
}

export function formatVersionsLock(lock: VersionsLock): string {
  const released = Object.fromEntries(
    Object.entries(lock.released).sort(([a], [b]) => Number(a) - Number(b)),
  )
  return `${JSON.stringify({ released }, null, 2)}\n`
}

export function writeVersionsLock(path: string, lock: VersionsLock): void {
  writeFileSync(path, formatVersionsLock(lock))
}

export function releasedVersions(lock: VersionsLock): number[] {
  return Object.keys(lock.released)
    .map(Number)
    .sort((a, b) => a - b)
}
