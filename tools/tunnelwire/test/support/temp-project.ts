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
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { type ProjectLayout, projectLayout } from "../../src/schema/project-layout.ts"

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url))

/** A throwaway project directory; `remove` deletes it. */
export interface TempProject {
  readonly root: string
  readonly layout: ProjectLayout
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

export function tempProject(copy: Copy = {}): TempProject {
  const root = mkdtempSync(join(tmpdir(), "tunnelwire-test-"))
  const from = (path: string) => join(REPO_ROOT, path)
  mkdirSync(join(root, "schemas", "runner-protocol"), { recursive: true })
  if (copy.schemas) cpSync(from("schemas"), join(root, "schemas"), { recursive: true })
  if (copy.protocol) {
    cpSync(from("tsconfig.base.json"), join(root, "tsconfig.base.json"))
    for (const part of ["src", "package.json", "tsconfig.json", "tsconfig.build.json"]) {
      cpSync(from(join("packages", "protocol", part)), join(root, "packages", "protocol", part), {
        recursive: true,
      })
    }
    const golden = join("packages", "protocol", "test", "golden")
    for (const dir of readdirSync(from(golden)).filter((name) => /^v\d+$/.test(name))) {
      mkdirSync(join(root, golden, dir), { recursive: true })
      for (const file of readdirSync(from(join(golden, dir))).filter((n) => n.endsWith(".bin"))) {
        cpSync(from(join(golden, dir, file)), join(root, golden, dir, file))
      }
    }
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
    layout: projectLayout(root),
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
