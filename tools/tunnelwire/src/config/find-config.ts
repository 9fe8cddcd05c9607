import { existsSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { UsageError } from "../usage-error.ts"
import { CONFIG_FILE, parseProjectConfig } from "./config-file.ts"
import { type FamilyLayout, familyLayout } from "./family-layout.ts"

/** How a command was told where the project is and which of its families to work on. */
export interface ProjectSelection {
  /** `--config <file>`. */
  readonly config?: string | undefined
  /** `--root <dir>`: the directory holding the config file. */
  readonly root?: string | undefined
  /** `--family <name>`; without it, every family of the config. */
  readonly family?: string | undefined
}

/**
 * The layouts of the selected families: the config is `--config`, the one in `--root`, or the
 * nearest one walking up from `cwd`. Without `--family`, every family, in the config's order.
 */
export function selectFamilies(
  selection: ProjectSelection,
  cwd: string = process.cwd(),
): FamilyLayout[] {
  const file = configFile(selection, cwd)
  const root = dirname(file)
  const { families } = parseProjectConfig(readFileSync(file, "utf8"), file)
  const names = Object.keys(families)
  if (selection.family === undefined) {
    return names.map((name) => familyLayout(root, name, families[name]!))
  }
  const config = Object.hasOwn(families, selection.family) ? families[selection.family] : undefined
  if (config === undefined) {
    throw new UsageError(
      `--family ${selection.family}: ${file} names no such family; it has ${names.join(", ")}`,
    )
  }
  return [familyLayout(root, selection.family, config)]
}

function configFile(selection: ProjectSelection, cwd: string): string {
  if (selection.config !== undefined && selection.root !== undefined) {
    throw new UsageError("--config and --root both say where the project is; give one")
  }
  if (selection.config !== undefined) {
    const file = resolve(cwd, selection.config)
    if (!existsSync(file)) throw new UsageError(`--config ${selection.config}: no such file`)
    return file
  }
  if (selection.root !== undefined) {
    const file = join(resolve(cwd, selection.root), CONFIG_FILE)
    if (!existsSync(file)) throw new UsageError(`--root ${selection.root}: no ${CONFIG_FILE} there`)
    return file
  }
  const found = findConfigFile(cwd)
  if (found === undefined) {
    throw new UsageError(
      `no ${CONFIG_FILE} in ${cwd} or any parent; run \`tunnelwire init <family>\` to make one`,
    )
  }
  return found
}

/** The nearest `tunnelwire.json` walking up from `start`, if there is one. */
export function findConfigFile(start: string): string | undefined {
  let dir = resolve(start)
  for (;;) {
    const file = join(dir, CONFIG_FILE)
    if (existsSync(file)) return file
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
