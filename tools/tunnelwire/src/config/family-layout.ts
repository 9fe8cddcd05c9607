import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { ProjectError } from "../usage-error.ts"
import { DEFAULT_REGENERATE, type FamilyConfig } from "./config-file.ts"

/** Where one protocol family keeps its schemas, versions lock, generated code and converters. */
export interface FamilyLayout {
  /** The directory of the config file; paths in messages are relative to it. */
  readonly root: string
  readonly family: string
  readonly schemaDir: string
  readonly lockFile: string
  readonly genDir: string
  readonly convertersDir: string
  /** `vN/<RootType>.<Member>[.<detail>].bin`: bytes every released version must keep reading. */
  readonly goldenDir: string | undefined
  /** The package the generated code ships in: its name for changesets, its exports for bump. */
  readonly packageJson: string | undefined
  readonly changesetDir: string | undefined
  /** The command the header of every generated file tells a reader to run. */
  readonly regenerate: string
}

/** A family's paths, resolved against `root`, the directory of the config that names it. */
export function familyLayout(root: string, family: string, config: FamilyConfig): FamilyLayout {
  const at = (path: string | undefined) => (path === undefined ? undefined : join(root, path))
  const schemaDir = join(root, config.schemas)
  return {
    root,
    family,
    schemaDir,
    lockFile: join(schemaDir, "versions.json"),
    genDir: join(root, config.out),
    convertersDir: join(root, config.converters),
    goldenDir: at(config.goldenVectors),
    packageJson: at(
      config.package === undefined ? undefined : join(config.package, "package.json"),
    ),
    changesetDir: at(config.changesets),
    regenerate: config.regenerate ?? DEFAULT_REGENERATE,
  }
}

/** The hand-written converters module between `older` and the version after it. */
export function convertersPath(layout: FamilyLayout, older: number): string {
  return join(layout.convertersDir, `v${older}-to-v${older + 1}.ts`)
}

/** How a generated file in `fromDir` imports the project file `path` (a `.ts` source). */
export function importSpecifier(fromDir: string, path: string): string {
  const specifier = relative(fromDir, path).split("\\").join("/").replace(/\.ts$/, ".js")
  return specifier.startsWith(".") ? specifier : `./${specifier}`
}

/**
 * The name of the package a family ships in, from its manifest; none for a family that names no
 * package. A package named in the config must have a manifest with a name.
 */
export function packageName(layout: FamilyLayout): string | undefined {
  const path = layout.packageJson
  if (path === undefined) return undefined
  const problem = `family ${layout.family}: its package manifest ${displayPath(layout, path)}`
  if (!existsSync(path)) throw new ProjectError(`${problem} does not exist`)
  let manifest: unknown
  try {
    manifest = JSON.parse(readFileSync(path, "utf8"))
  } catch (error) {
    throw new ProjectError(
      `${problem} is not JSON: ${error instanceof Error ? error.message : error}`,
    )
  }
  const name =
    typeof manifest === "object" && manifest !== null && "name" in manifest
      ? manifest.name
      : undefined
  if (typeof name !== "string") throw new ProjectError(`${problem} has no "name"`)
  return name
}

export interface SchemaFile {
  readonly version: number
  readonly path: string
  readonly source: string
}

/** Every `vN.bare` of the project, by ascending version; versions must run 1, 2, … without gaps. */
export function readSchemaFiles(layout: FamilyLayout): SchemaFile[] {
  const files = listSchemaFiles(layout)
  files.forEach((file, i) => {
    if (file.version !== i + 1) {
      throw new ProjectError(
        `family ${layout.family}: schema versions must run from v1 without gaps; ${displayPath(layout, join(layout.schemaDir, `v${i + 1}.bare`))} is missing`,
      )
    }
  })
  if (files.length === 0) {
    throw new ProjectError(
      `family ${layout.family}: no vN.bare schema in ${displayPath(layout, layout.schemaDir)}`,
    )
  }
  return files
}

/** Every `vN.bare` of the project, by ascending version, gaps and all. */
export function listSchemaFiles(layout: FamilyLayout): SchemaFile[] {
  if (!existsSync(layout.schemaDir)) {
    throw new ProjectError(
      `family ${layout.family}: its schema folder ${displayPath(layout, layout.schemaDir)} does not exist`,
    )
  }
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
export function displayPath(layout: FamilyLayout, path: string): string {
  return relative(layout.root, path).split("\\").join("/")
}
