import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { ProjectError, UsageError } from "../usage-error.ts"

/** Where a tunnelwire project keeps its schemas, its versions lock and its generated code. */
export interface ProjectLayout {
  readonly root: string
  readonly schemaDir: string
  readonly lockFile: string
  readonly genDir: string
  readonly migrationsDir: string
  /** `vN/<RootType>.<Member>[.<detail>].bin`: bytes every released version must keep reading. */
  readonly goldenDir: string
  readonly protocolPackageJson: string
  readonly changesetDir: string
}

const SCHEMA_DIR = join("schemas", "runner-protocol")

export function projectLayout(root: string): ProjectLayout {
  return {
    root,
    schemaDir: join(root, SCHEMA_DIR),
    lockFile: join(root, SCHEMA_DIR, "versions.json"),
    genDir: join(root, "packages", "protocol", "src", "gen"),
    migrationsDir: join(root, "packages", "protocol", "src", "migrations"),
    goldenDir: join(root, "packages", "protocol", "test", "golden"),
    protocolPackageJson: join(root, "packages", "protocol", "package.json"),
    changesetDir: join(root, ".changeset"),
  }
}

/** Walks up from `start` to the directory holding `schemas/runner-protocol`. */
export function findProjectRoot(start: string = process.cwd()): string {
  let dir = resolve(start)
  for (;;) {
    if (existsSync(join(dir, SCHEMA_DIR))) return dir
    const parent = dirname(dir)
    if (parent === dir) {
      throw new UsageError(`no ${SCHEMA_DIR} directory in ${start} or any parent`)
    }
    dir = parent
  }
}

export interface SchemaFile {
  readonly version: number
  readonly path: string
  readonly source: string
}

/** Every `vN.bare` of the project, by ascending version; versions must run 1, 2, … without gaps. */
export function readSchemaFiles(layout: ProjectLayout): SchemaFile[] {
  const files = listSchemaFiles(layout)
  files.forEach((file, i) => {
    if (file.version !== i + 1) {
      throw new ProjectError(
        `schema versions must run from v1 without gaps; v${i + 1}.bare is missing`,
      )
    }
  })
  if (files.length === 0) throw new ProjectError(`no vN.bare schema in ${layout.schemaDir}`)
  return files
}

/** Every `vN.bare` of the project, by ascending version, gaps and all. */
export function listSchemaFiles(layout: ProjectLayout): SchemaFile[] {
  return readdirSync(layout.schemaDir)
    .map((name) => ({ name, version: schemaFileVersion(name) }))
    .filter((entry) => entry.version !== undefined)
    .map((entry) => {
      const path = join(layout.schemaDir, entry.name)
      return { version: entry.version!, path, source: readFileSync(path, "utf8") }
    })
    .sort((a, b) => a.version - b.version)
}

/** The version a schema file name stands for (`v12.bare` → 12), if it is one. */
export function schemaFileVersion(name: string): number | undefined {
  const match = /^v([1-9]\d*)\.bare$/.exec(name)
  return match === null ? undefined : Number(match[1])
}

/** A project path as messages show it: relative to the root, with forward slashes. */
export function displayPath(layout: ProjectLayout, path: string): string {
  return relative(layout.root, path).split("\\").join("/")
}
