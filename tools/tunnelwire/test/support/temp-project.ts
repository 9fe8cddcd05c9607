import { execFileSync } from "node:child_process"
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import type { FamilyLayout } from "../../src/config/family-layout.ts"
import { selectFamilies } from "../../src/config/find-config.ts"

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url))

/** A throwaway project directory; `remove` deletes it. */
export interface TempProject {
  readonly root: string
  readonly layout: FamilyLayout
  write(path: string, content: string): void
  read(path: string): string
  remove(): void
}

/** What to copy from this repository into the project, beyond the files a test writes. */
export interface Copy {
  /** schemas/runner-protocol: v1–v3 and versions.json. */
  readonly schemas?: boolean
  /**
   * packages/protocol: src, package.json, tsconfigs (and the root tsconfig.base.json they extend),
   * and the golden vectors' .bin files.
   */
  readonly protocol?: boolean
  /**
   * tools/tunnelwire (sources, bin and the compiled dist/ the bin runs), the root package and
   * tsconfig files, .changeset, node_modules link.
   */
  readonly workspace?: boolean
}

/**
 * The tests tell one story, bump opening v4 on a project whose newest version is v3: the project
 * is this repository as it stood then, without the files of v4 and later.
 */
const LAST_COPIED_VERSION = 3

/** Whether `path` (relative to the repository, or a package subpath) belongs to a version after v3. */
function isLaterVersionFile(path: string): boolean {
  if (/(^|\/)pinned(\/|$)/.test(path)) return true
  // versioned-vN.ts pins vN while a later version is the newest: only v2's existed at v3.
  const pinned = /versioned-v(\d+)/.exec(path)
  if (pinned !== null) return Number(pinned[1]) >= LAST_COPIED_VERSION
  return [...path.matchAll(/(?:^|[/.-])v(\d+)(?=[/.-]|$)/g)].some(
    ([, version]) => Number(version) > LAST_COPIED_VERSION,
  )
}

const copyThroughV3 = {
  recursive: true,
  filter: (source: string) => !isLaterVersionFile(relative(REPO_ROOT, source)),
}

/** package.json of the protocol package with the exports of v1–v3 only, `./latest` at v3. */
function protocolManifestThroughV3(source: string): string {
  const manifest = JSON.parse(source) as { exports: Record<string, unknown> }
  const exports: Record<string, unknown> = {}
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (isLaterVersionFile(subpath)) continue
    exports[subpath] =
      subpath === "./latest" ? manifest.exports[`./v${LAST_COPIED_VERSION}`] : target
  }
  return `${JSON.stringify({ ...manifest, exports }, null, 2)}\n`
}

/** versions.json with the pins of v1–v3 only. */
function versionsLockThroughV3(source: string): string {
  const lock = JSON.parse(source) as { released: Record<string, unknown> }
  const released = Object.fromEntries(
    Object.entries(lock.released).filter(([version]) => Number(version) <= LAST_COPIED_VERSION),
  )
  return `${JSON.stringify({ ...lock, released }, null, 2)}\n`
}

export function tempProject(copy: Copy = {}): TempProject {
  const root = mkdtempSync(join(tmpdir(), "tunnelwire-test-"))
  const from = (path: string) => join(REPO_ROOT, path)
  mkdirSync(join(root, "schemas", "runner-protocol"), { recursive: true })
  // The repository's own config: the runner protocol is a family like any other.
  cpSync(from("tunnelwire.json"), join(root, "tunnelwire.json"))
  if (copy.schemas) {
    cpSync(from("schemas"), join(root, "schemas"), copyThroughV3)
    const lock = join("schemas", "runner-protocol", "versions.json")
    writeFileSync(join(root, lock), versionsLockThroughV3(readFileSync(from(lock), "utf8")))
  }
  if (copy.protocol) {
    cpSync(from("tsconfig.base.json"), join(root, "tsconfig.base.json"))
    for (const part of ["src", "tsconfig.json", "tsconfig.build.json"]) {
      cpSync(
        from(join("packages", "protocol", part)),
        join(root, "packages", "protocol", part),
        copyThroughV3,
      )
    }
    const manifest = join("packages", "protocol", "package.json")
    writeFileSync(
      join(root, manifest),
      protocolManifestThroughV3(readFileSync(from(manifest), "utf8")),
    )
    const golden = join("packages", "protocol", "test", "golden")
    for (const dir of readdirSync(from(golden)).filter(
      (name) => /^v\d+$/.test(name) && !isLaterVersionFile(name),
    )) {
      mkdirSync(join(root, golden, dir), { recursive: true })
      for (const file of readdirSync(from(join(golden, dir))).filter((n) => n.endsWith(".bin"))) {
        cpSync(from(join(golden, dir, file)), join(root, golden, dir, file))
      }
    }
  } else {
    // The config names the protocol package: changesets must name it.
    mkdirSync(join(root, "packages", "protocol"), { recursive: true })
    writeFileSync(
      join(root, "packages", "protocol", "package.json"),
      `${JSON.stringify({ name: "@tunnelwire/protocol", private: true }, null, 2)}\n`,
    )
  }
  if (copy.workspace) {
    for (const part of ["package.json", "tsconfig.base.json", ".changeset"]) {
      cpSync(from(part), join(root, part), { recursive: true })
    }
    for (const part of ["src", "bin", "dist", "package.json", "tsconfig.json"]) {
      cpSync(from(join("tools", "tunnelwire", part)), join(root, "tools", "tunnelwire", part), {
        recursive: true,
      })
    }
  }
  if (copy.protocol || copy.workspace) {
    // Installing would take minutes; the repository's own modules are the ones under test anyway.
    symlinkSync(from("node_modules"), join(root, "node_modules"), "dir")
  }
  return {
    root,
    layout: selectFamilies({ root })[0]!,
    write(path, content) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), content)
    },
    read: (path) => readFileSync(join(root, path), "utf8"),
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}

/** Runs git in the project with a fixed identity, so commits work on any machine. */
export function git(project: TempProject, ...args: string[]): string {
  return execFileSync(
    "git",
    [
      "-c",
      "user.name=test",
      "-c",
      "user.email=test@example.com",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    { cwd: project.root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  )
}

/** Commits everything in the project, making it a git repository first if it is not one. */
export function commitAll(project: TempProject, message: string): void {
  if (!existsSync(join(project.root, ".git"))) git(project, "init", "--quiet")
  git(project, "add", "-A")
  git(project, "commit", "--quiet", "-m", message)
}
