import { displayPath, findProjectRoot, projectLayout } from "../../schema/project-layout.ts"
import { applyBump } from "./apply.ts"
import { planBump } from "./plan.ts"

export const BUMP_HELP = `Usage: tunnelwire bump [--dry-run] [--root <dir>]

Releases the newest schema version vN and opens vN+1:
  - creates schemas/runner-protocol/vN+1.bare as a copy of vN.bare;
  - pins vN's fingerprint in schemas/runner-protocol/versions.json (vN is frozen from now on);
  - regenerates packages/protocol/src/gen/ (the latest version becomes vN+1);
  - creates packages/protocol/src/migrations/vN-to-vN+1.ts for the hand-written converters;
  - exports ./vN+1 from @tunnelwire/protocol and points ./latest at it;
  - writes .changeset/protocol-vN+1.md for @tunnelwire/protocol.

Then edit vN+1.bare and run \`tunnelwire gen\`: it adds a placeholder for every converter the
change needs, which fails to compile until written.

Running bump again before vN+1 differs from vN does nothing: an unreleased copy identical to the
version before it is exactly what the last bump left.

Options:
  --dry-run      print the plan; write nothing
  --root <dir>   the project root (default: nearest parent with schemas/runner-protocol)
  --help         show this help

Exit codes: 0 bumped (or nothing to do), 1 usage error, 100 a released schema was modified.
`

export function runBump(args: { dryRun: boolean; root: string | undefined }): number {
  const layout = projectLayout(args.root ?? findProjectRoot())
  const plan = planBump(layout)
  if (plan.kind === "nothing") {
    console.log(`nothing to bump: ${plan.reason}`)
    return 0
  }
  if (plan.kind === "refused") {
    console.error(`cannot bump: ${plan.reason}`)
    return 100
  }
  const header = args.dryRun
    ? `tunnelwire bump --dry-run: v${plan.from} → v${plan.to}, nothing written`
    : `tunnelwire bump: v${plan.from} → v${plan.to}`
  console.log(header)
  for (const write of [plan.schema, ...plan.writes]) {
    console.log(`  ${write.action.padEnd(6)}  ${displayPath(layout, write.path)}: ${write.what}`)
  }
  if (plan.generated.length > 0) {
    const count = plan.generated.length
    console.log(`  write   ${count} generated file(s) in ${displayPath(layout, layout.genDir)}`)
  }
  if (args.dryRun) return 0
  applyBump(plan)
  console.log(`next: edit schemas/runner-protocol/v${plan.to}.bare, then run tunnelwire gen`)
  return 0
}
