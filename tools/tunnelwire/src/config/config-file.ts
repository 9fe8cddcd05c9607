import { isAbsolute, normalize } from "node:path"

/** The name of the file that makes a directory a tunnelwire project. */
export const CONFIG_FILE = "tunnelwire.json"

/** The generated-file header's advice when a family does not name its own regenerate command. */
export const DEFAULT_REGENERATE = "npx tunnelwire gen"

/**
 * One protocol family: a history of `vN.bare` schemas and what is made of it. Paths are relative
 * to the directory of the config file.
 */
export interface FamilyConfig {
  /** The `vN.bare` files and their versions lock, `versions.json`. */
  readonly schemas: string
  /** Where `gen` writes the generated code (it owns every file there that carries its mark). */
  readonly out: string
  /** The hand-written converters, `vA-to-vB.ts` per pair of adjacent versions. */
  readonly converters: string
  /** `vN/<RootType>.<Member>[.<detail>].bin`: bytes each released version must keep reading. */
  readonly goldenVectors?: string
  /** The npm package the generated code ships in: changesets name it, bump adds its `./vN` export. */
  readonly package?: string
  /** The changesets folder: bump writes one per new version, `check --against` wants one. */
  readonly changesets?: string
  /** The command generated files tell a reader to run (default `npx tunnelwire gen`). */
  readonly regenerate?: string
}

export interface ProjectConfig {
  readonly families: Readonly<Record<string, FamilyConfig>>
}

/** A config file that cannot be used: `file: where: reason` or `file:line:col: reason`. */
export class ConfigError extends Error {
  override name = "ConfigError"
}

const PATH_KEYS = [
  "schemas",
  "out",
  "converters",
  "goldenVectors",
  "package",
  "changesets",
] as const
const REQUIRED_KEYS = ["schemas", "out", "converters"] as const
const FAMILY_KEYS: readonly string[] = [...PATH_KEYS, "regenerate"]
/** Family names become file names (`.changeset/<family>-vN.md`) and command-line values. */
const FAMILY_NAME = /^[a-z][a-z0-9-]*$/

/** Parses and validates the text of a config file; `file` names it in errors. */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  const json = parseJson(text, file)
  const fail = (where: string, reason: string): never => {
    throw new ConfigError(`${file}: ${where}: ${reason}`)
  }
  if (!isRecord(json)) return fail("the top level", `must be an object, not ${kindOf(json)}`)
  for (const key of Object.keys(json)) {
    if (key !== "families" && key !== "$schema") fail(key, 'unknown key; expected "families"')
  }
  const families = json.families
  if (families === undefined) return fail("families", "missing: name at least one family")
  if (!isRecord(families)) return fail("families", `must be an object, not ${kindOf(families)}`)
  const names = Object.keys(families)
  if (names.length === 0) fail("families", "is empty: name at least one family")
  const checked: Record<string, FamilyConfig> = {}
  for (const name of names) {
    const where = `families.${name}`
    if (!FAMILY_NAME.test(name)) {
      fail(where, "a family name is lower-case letters, digits and dashes, starting with a letter")
    }
    checked[name] = checkFamily(families[name], (key, reason) =>
      fail(key === undefined ? where : `${where}.${key}`, reason),
    )
  }
  for (const key of ["schemas", "out"] as const) {
    const seen = new Map<string, string>()
    for (const name of names) {
      const path = normalize(checked[name]![key]).replace(/(.)[\\/]+$/, "$1")
      const other = seen.get(path)
      if (other !== undefined) {
        fail(`families.${name}.${key}`, `"${path}" is already families.${other}.${key}`)
      }
      seen.set(path, name)
    }
  }
  return { families: checked }
}

function checkFamily(
  value: unknown,
  fail: (key: string | undefined, reason: string) => never,
): FamilyConfig {
  if (!isRecord(value)) return fail(undefined, `must be an object, not ${kindOf(value)}`)
  for (const key of Object.keys(value)) {
    if (!FAMILY_KEYS.includes(key))
      fail(key, `unknown key; expected one of ${FAMILY_KEYS.join(", ")}`)
  }
  for (const key of REQUIRED_KEYS) {
    if (value[key] === undefined) fail(key, "missing")
  }
  for (const key of [...PATH_KEYS, "regenerate"]) {
    const entry = value[key]
    if (entry === undefined) continue
    if (typeof entry !== "string") fail(key, `must be a string, not ${kindOf(entry)}`)
    if ((entry as string).trim() === "") fail(key, "must not be empty")
  }
  for (const key of PATH_KEYS) {
    const path = value[key]
    if (typeof path === "string" && isAbsolute(path)) {
      fail(key, `"${path}" must be relative to the config file's directory`)
    }
  }
  if (value.changesets !== undefined && value.package === undefined) {
    fail("changesets", 'needs "package": the package a changeset names')
  }
  return value as unknown as FamilyConfig
}

/** JSON.parse, with its error as `file:line:col: reason` instead of a character offset. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const offset = /at position (\d+)/.exec(message)
    const reason = message
      .replace(/\s*(?:in JSON )?at position \d+.*$/, "")
      .replace(/ in JSON$/, "")
    const at = offset === null ? text.length : Number(offset[1])
    const before = text.slice(0, at).split("\n")
    throw new ConfigError(
      `${file}:${before.length}:${before[before.length - 1]!.length + 1}: invalid JSON: ${reason}`,
    )
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

function kindOf(value: unknown): string {
  if (value === null) return "null"
  if (Array.isArray(value)) return "an array"
  return `a ${typeof value}`
}
