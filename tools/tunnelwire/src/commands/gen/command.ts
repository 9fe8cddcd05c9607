import {
  displayPath,
  findProjectRoot,
  projectLayout,
  readSchemaFiles,
} from "../../schema/project-layout.ts"
import { parseSchemaFiles } from "../../schema/project-schemas.ts"
import { applyGeneration, applyScaffolds } from "./apply.ts"
import { planGeneration } from "./plan.ts"
import { planScaffolds } from "./plan-scaffolds.ts"
import type { GenFormat } from "./usage.ts"

export interface GenArgs {
  readonly check: boolean
  readonly root: string | undefined
  /** Default: text. */
  readonly format?: GenFormat
}

/** What one `tunnelwire gen` did (or, under `--check`, would do), paths from the project root. */
export interface GenOutcome {
  readonly check: boolean
  readonly written: readonly string[]
  readonly removed: readonly string[]
  readonly scaffolded: readonly {
    readonly path: string
    readonly created: boolean
    readonly inserted: readonly string[]
  }[]
  readonly notes: readonly string[]
}

export function runGen(args: GenArgs): number {
  const outcome = generate(args)
  const stale = outcome.check && outcome.written.length + outcome.removed.length > 0
  if (args.format === "json") {
    console.log(JSON.stringify({ ...outcome, upToDate: !stale }, null, 2))
  } else {
    printText(outcome, stale)
  }
  return stale ? 100 : 0
}

function generate(args: GenArgs): GenOutcome {
  const layout = projectLayout(args.root ?? findProjectRoot())
  const schemaFiles = readSchemaFiles(layout)
  const changes = applyGeneration(layout.genDir, planGeneration(layout, schemaFiles), {
    dryRun: args.check,
  })
  const show = (path: string) => displayPath(layout, path)
  const outcome = {
    check: args.check,
    written: changes.written.map(show),
    removed: changes.removed.map(show),
  }
  if (args.check) return { ...outcome, scaffolded: [], notes: [] }
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

function printText(outcome: GenOutcome, stale: boolean): void {
  if (outcome.check) {
    if (!stale) {
      console.log("generated code is up to date")
      return
    }
    const paths = [...outcome.written, ...outcome.removed]
    console.error(`generated code is out of date; run \`npm run gen\`:\n  ${paths.join("\n  ")}`)
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
  if (changed === 0) console.log("nothing to generate")
}
