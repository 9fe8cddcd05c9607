import { execFileSync } from "node:child_process"
import { basename } from "node:path"
import { displayPath, type FamilyLayout, schemaFileVersion } from "../../config/family-layout.ts"
import { parseVersionsLock, type VersionsLock } from "../../schema/versions-lock.ts"
import { UsageError } from "../../usage-error.ts"

/** The project's schemas, versions lock and changesets as another commit has them. */
export interface RefSnapshot {
  readonly ref: string
  readonly schemas: readonly {
    readonly version: number
    readonly file: string
    readonly source: string
  }[]
  readonly lock: VersionsLock
  /** File names in `.changeset/` at that commit. */
  readonly changesets: ReadonlySet<string>
}

/** Reads the snapshot through `git`; an unknown ref or a directory outside git is a usage error. */
export function readRefSnapshot(layout: FamilyLayout, ref: string): RefSnapshot {
  const git = (...args: string[]): string =>
    execFileSync("git", ["-C", layout.root, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    })
  try {
    git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`)
  } catch {
    throw new UsageError(`--against ${ref}: not a commit in the git repository at ${layout.root}`)
  }
  const list = (dir: string): string[] =>
    git("ls-tree", "--name-only", ref, "--", `${dir}/`)
      .split("\n")
      .filter((line) => line !== "")
  const schemaDir = displayPath(layout, layout.schemaDir)
  const show = (path: string): string => git("show", `${ref}:./${path}`)
  const schemas = list(schemaDir)
    .map((path) => ({ path, version: schemaFileVersion(basename(path)) }))
    .filter((entry) => entry.version !== undefined)
    .map((entry) => ({
      version: entry.version!,
      file: `${ref}:${entry.path}`,
      source: show(entry.path),
    }))
    .sort((a, b) => a.version - b.version)
  const lockPath = displayPath(layout, layout.lockFile)
  const lock = list(schemaDir).includes(lockPath)
    ? parseVersionsLock(show(lockPath), `${ref}:${lockPath}`)
    : { released: {} }
  const changesetDir = layout.changesetDir
  const changesets = new Set(
    changesetDir === undefined
      ? []
      : list(displayPath(layout, changesetDir)).map((path) => basename(path)),
  )
  return { ref, schemas, lock, changesets }
}
