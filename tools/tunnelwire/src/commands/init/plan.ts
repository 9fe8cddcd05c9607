import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import {
  CONFIG_FILE,
  type FamilyConfig,
  type ProjectConfig,
  parseProjectConfig,
} from "../../config/config-file.ts"
import { findConfigFile } from "../../config/find-config.ts"
import { formatVersionsLock } from "../../schema/versions-lock.ts"
import { ProjectError, UsageError } from "../../usage-error.ts"

export interface InitArgs {
  readonly family: string
  readonly schemas?: string | undefined
  readonly out?: string | undefined
  readonly converters?: string | undefined
  readonly package?: string | undefined
  readonly config?: string | undefined
}

export interface InitWrite {
  readonly path: string
  readonly content: string
  readonly action: "create" | "update"
  readonly what: string
}

export interface InitPlan {
  readonly root: string
  readonly family: string
  readonly config: FamilyConfig
  readonly writes: readonly InitWrite[]
}

/** What generated code imports at run time: a project must depend on these. */
export const RUNTIME_DEPENDENCIES = ["@tunnelwire/runtime"] as const

/**
 * Plans a new family: its starter schema, its versions lock and its config entry, refusing
 * anything that would overwrite. Pure: reads, never writes.
 */
export function planInit(args: InitArgs, cwd: string = process.cwd()): InitPlan {
  const configFile = whereConfigGoes(args.config, cwd)
  const root = dirname(configFile)
  const existing = existsSync(configFile)
  const current: ProjectConfig = existing
    ? parseProjectConfig(readFileSync(configFile, "utf8"), configFile)
    : { families: {} }
  if (Object.hasOwn(current.families, args.family)) {
    throw new ProjectError(`${configFile} already names the family ${args.family}; nothing written`)
  }
  const hasManifest = existsSync(join(root, "package.json"))
  const packageDir = args.package ?? (hasManifest ? "." : undefined)
  const config: FamilyConfig = {
    schemas: projectPath(args.schemas ?? `schemas/${args.family}`),
    out: projectPath(args.out ?? `src/${args.family}/gen`),
    converters: projectPath(args.converters ?? `src/${args.family}/converters`),
    ...(packageDir === undefined ? {} : { package: projectPath(packageDir) }),
    ...(packageDir !== undefined && existsSync(join(root, ".changeset"))
      ? { changesets: ".changeset" }
      : {}),
  }
  // The config's own checks (name, paths, no folder shared with another family) decide.
  const updated = { ...current, families: { ...current.families, [args.family]: config } }
  const text = `${JSON.stringify(updated, null, 2)}\n`
  try {
    parseProjectConfig(text, configFile)
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const schemaDir = join(root, config.schemas)
  if (existsSync(schemaDir) && readdirSync(schemaDir).length > 0) {
    throw new ProjectError(`${config.schemas} already exists and is not empty; nothing written`)
  }
  return {
    root,
    family: args.family,
    config,
    writes: [
      {
        path: join(schemaDir, "v1.bare"),
        content: starterSchema(args.family),
        action: "create",
        what: "the first version's schema, to edit",
      },
      {
        path: join(schemaDir, "versions.json"),
        content: formatVersionsLock({ released: {} }),
        action: "create",
        what: "the versions lock: nothing released yet",
      },
      {
        path: configFile,
        content: text,
        action: existing ? "update" : "create",
        what: `the family ${args.family}`,
      },
    ],
  }
}

/** `--config`, else the nearest config up from `cwd`, else one beside the nearest package.json. */
function whereConfigGoes(config: string | undefined, cwd: string): string {
  if (config !== undefined) return resolve(cwd, config)
  const found = findConfigFile(cwd)
  if (found !== undefined) return found
  let dir = resolve(cwd)
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return join(dir, CONFIG_FILE)
    const parent = dirname(dir)
    if (parent === dir) return join(resolve(cwd), CONFIG_FILE)
    dir = parent
  }
}

/** A path as the config holds it: relative, forward slashes, no `./` or trailing slash. */
function projectPath(path: string): string {
  const parts = path.split(/[\\/]+/).filter((part) => part !== "" && part !== ".")
  return parts.length === 0 ? "." : parts.join("/")
}

function starterSchema(family: string): string {
  return `# ${family}, protocol version 1. Edit it freely: nothing is released yet. \`tunnelwire bump\`
# releases it (its fingerprint is pinned in versions.json, and \`tunnelwire check\` fails if it
# changes after that) and opens v2 as a copy to evolve.
#
# BARE has no field names or tags on the wire, only positions, union tags and enum numbers.
# A type no other type refers to is a root type: it gets encode and decode functions.

type Greeting struct {
  id: u32
  text: str
}

type Farewell struct {
  id: u32
}

type Message union {
  Greeting | Farewell
}
`
}
