import { displayPath, type FamilyLayout, readSchemaFiles } from "../../config/family-layout.ts"
import { type ProjectSelection, selectFamilies } from "../../config/find-config.ts"
import { parseSchemaFiles } from "../../schema/project-schemas.ts"
import { applyGeneration, applyScaffolds } from "./apply.ts"
import { planGeneration } from "./plan.ts"
import { planScaffolds } from "./plan-scaffolds.ts"
import type { GenFormat } from "./usage.ts"

export interface GenArgs extends ProjectSelection {
  readonly check: boolean
  /** Default: text. */
  readonly format?: GenFormat
}

/** What `tunnelwire gen` did (or, under `--check`, would do) for one family, paths from the root. */
export interface GenOutcome {
  readonly family: string
  readonly check: boolean
  readonly written: readonly string[]
  readonly removed: readonly string[]
  readonly scaffolded: readonly {
    readonly path: string
    readonly created: boolean
    readonly inserted: readonly string[]
  }[]
  readonly notes: readonly string[]
  /** Under `--check`: nothing to write or remove. */
  readonly upToDate: boolean
}

/**
 * Generates every selected family, each on its own. JSON output is one family's outcome, or
 * `{ families, upToDate }` when the config has several and no `--family` picked one.
 */
export function runGen(args: GenArgs): number {
  const families = selectFamilies(args)
  const outcomes = families.map((layout) => generate(layout, args.check))
  const upToDate = outcomes.every((outcome) => outcome.upToDate)
  if (args.format === "json") {
    const json = outcomes.length === 1 ? outcomes[0] : { families: outcomes, upToDate }
    console.log(JSON.stringify(json, null, 2))
  } else {
    outcomes.forEach((outcome, i) => {
      const prefix = families.length > 1 ? `${outcome.family}: ` : ""
      printText(outcome, prefix, families[i]!.regenerate)
    })
  }
  return upToDate ? 0 : 100
}

function generate(layout: FamilyLayout, check: boolean): GenOutcome {
  const schemaFiles = readSchemaFiles(layout)
  const changes = applyGeneration(layout.genDir, planGeneration(layout, schemaFiles), {
    dryRun: check,
  })
  const show = (path: string) => displayPath(layout, path)
  const outcome = {
    family: layout.family,
    check,
    written: changes.written.map(show),
    removed: changes.removed.map(show),
    upToDate: !check || changes.written.length + changes.removed.length === 0,
  }
  if (check) return { ...outcome, scaffolded: [], notes: [] }
  const descriptors = parseSchemaFiles(layout, schemaFiles).map((parsed) => parsed.descriptor)
  const scaffolds = planScaffolds(layout, descriptors)
  applyScaffolds(scaffolds.files)
  return {
    ...outcome,
    scaffolded: scaffolds.files.map((file) => ({
      path: show(file.path),
      created: file.created,
      inserted: file.inserted,
    })),
    notes: scaffolds.notes,
  }
}

/** `prefix` names the family when the config has several. */
function printText(outcome: GenOutcome, prefix: string, regenerate: string): void {
  if (outcome.check) {
    if (outcome.upToDate) {
      console.log(`${prefix}generated code is up to date`)
      return
    }
    const paths = [...outcome.written, ...outcome.removed]
    console.error(
      `${prefix}generated code is out of date; run \`${regenerate}\`:\n  ${paths.join("\n  ")}`,
    )
    return
  }
  for (const path of outcome.written) console.log(`wrote ${path}`)
  for (const path of outcome.removed) console.log(`removed ${path}`)
  for (const file of outcome.scaffolded) {
    const verb = file.created ? "created" : "added to"
    console.log(`${verb} ${file.path}: ${file.inserted.join(", ")} (to be written)`)
  }
  for (const note of outcome.notes) console.warn(note)
  const changed = outcome.written.length + outcome.removed.length + outcome.scaffolded.length
  if (changed === 0) console.log(`${prefix}nothing to generate`)
}
