import { relative } from "node:path"
import { findProjectRoot, projectLayout } from "../../schema/project-layout.ts"
import { applyGeneration } from "./apply.ts"
import { planGeneration } from "./plan.ts"

export const GEN_HELP = `Usage: tunnelwire gen [--check] [--root <dir>]

Generates packages/protocol/src/gen/vN/ (codec, schema descriptor, typed facade) for every
schemas/runner-protocol/vN.bare, and gen/versions.ts. Writes only files whose content changed.

Options:
  --check        write nothing; exit 100 if any generated file is out of date
  --root <dir>   the project root (default: nearest parent with schemas/runner-protocol)
  --help         show this help
`

export function runGen(args: { check: boolean; root: string | undefined }): number {
  const layout = projectLayout(args.root ?? findProjectRoot())
  const changes = applyGeneration(layout.genDir, planGeneration(layout), { dryRun: args.check })
  const show = (path: string) => relative(layout.root, path)
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
  if (changes.written.length + changes.removed.length === 0) console.log("nothing to generate")
  return 0
}
