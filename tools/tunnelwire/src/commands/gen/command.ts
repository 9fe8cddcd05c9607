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

export const GEN_HELP = `Usage: tunnelwire gen [--check] [--root <dir>]

Generates packages/protocol/src/gen/vN/ (codec, schema descriptor, typed facade) for every
schemas/runner-protocol/vN.bare, the migrations between adjacent versions, gen/versioned.ts and
gen/versions.ts. Writes only files whose content changed.

Then, for every type whose shape changed between two adjacent versions, makes sure the
hand-written packages/protocol/src/migrations/vA-to-vB.ts has an upgrade and a downgrade: a
missing one is added as a placeholder that fails to compile until someone writes it, with a
comment saying what it must fill in or drop. Converters already there are never touched.

Options:
  --check        write nothing; exit 100 if any generated file is out of date
  --root <dir>   the project root (default: nearest parent with schemas/runner-protocol)
  --help         show this help
`

export function runGen(args: { check: boolean; root: string | undefined }): number {
  const layout = projectLayout(args.root ?? findProjectRoot())
  const schemaFiles = readSchemaFiles(layout)
  const changes = applyGeneration(layout.genDir, planGeneration(layout, schemaFiles), {
    dryRun: args.check,
  })
  const show = (path: string) => displayPath(layout, path)
  if (args.check) {
    const stale = [...changes.written, ...changes.removed].map(show)
    if (stale.length === 0) {
      console.log("generated code is up to date")
      return 0
    }
    console.error(`generated code is out of date; run \`npm run gen\`:\n  ${stale.join("\n  ")}`)
    return 100
  }
  for (const path of changes.written) console.log(`wrote ${show(path)}`)
  for (const path of changes.removed) console.log(`removed ${show(path)}`)
  const descriptors = parseSchemaFiles(layout, schemaFiles).map((parsed) => parsed.descriptor)
  const scaffolds = planScaffolds(layout, descriptors)
  applyScaffolds(scaffolds.files)
  for (const file of scaffolds.files) {
    const verb = file.created ? "created" : "added to"
    console.log(`${verb} ${show(file.path)}: ${file.inserted.join(", ")} (to be written)`)
  }
  for (const note of scaffolds.notes) console.warn(note)
  if (changes.written.length + changes.removed.length + scaffolds.files.length === 0) {
    console.log("nothing to generate")
  }
  return 0
}
