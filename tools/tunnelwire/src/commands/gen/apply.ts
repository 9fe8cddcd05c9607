import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { GENERATED_MARK } from "../../codegen/generated-header.ts"
import type { GeneratedFile } from "./plan.ts"
import type { ScaffoldFile } from "./plan-scaffolds.ts"

export interface GenerationChanges {
  readonly written: readonly string[]
  readonly removed: readonly string[]
}

/**
 * Brings `genDir` to exactly the planned files: writes those whose content differs and removes
 * generated files no schema produces any more. With `dryRun`, only reports what it would do.
 */
export function applyGeneration(
  genDir: string,
  files: readonly GeneratedFile[],
  options: { dryRun: boolean },
): GenerationChanges {
  const planned = new Set(files.map((file) => file.path))
  const written = files.filter(
    (file) => !existsSync(file.path) || readFileSync(file.path, "utf8") !== file.content,
  )
  const removed = listFiles(genDir).filter(
    (path) => !planned.has(path) && readFileSync(path, "utf8").startsWith(GENERATED_MARK),
  )
  if (!options.dryRun) {
    for (const file of written) {
      mkdirSync(dirname(file.path), { recursive: true })
      writeFileSync(file.path, file.content)
    }
    for (const path of removed) rmSync(path)
  }
  return { written: written.map((file) => file.path), removed }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

/** Writes hand-written converter modules with their new placeholders. */
export function applyScaffolds(files: readonly ScaffoldFile[]): void {
  for (const file of files) {
    mkdirSync(dirname(file.path), { recursive: true })
    writeFileSync(file.path, file.content)
  }
}
