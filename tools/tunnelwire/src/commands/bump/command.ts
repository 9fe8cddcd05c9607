import {
  displayPath,
  findProjectRoot,
  type ProjectLayout,
  projectLayout,
} from "../../schema/project-layout.ts"
import { applyBump } from "./apply.ts"
import { type BumpPlan, planBump } from "./plan.ts"
import type { BumpFormat } from "./usage.ts"

export interface BumpArgs {
  readonly dryRun: boolean
  readonly root: string | undefined
  /** Default: text. */
  readonly format?: BumpFormat
}

export function runBump(args: BumpArgs): number {
  const layout = projectLayout(args.root ?? findProjectRoot())
  const plan = planBump(layout)
  if (plan.kind === "bump" && !args.dryRun) applyBump(plan)
  if (args.format === "json") {
    console.log(JSON.stringify(jsonOf(plan, layout, args.dryRun), null, 2))
  } else {
    printText(plan, layout, args.dryRun)
  }
  return plan.kind === "refused" ? 100 : 0
}

function jsonOf(plan: BumpPlan, layout: ProjectLayout, dryRun: boolean): unknown {
  if (plan.kind !== "bump") return { outcome: plan.kind, reason: plan.reason }
  const write = (w: { path: string; action: string; what: string }) => ({
    path: displayPath(layout, w.path),
    action: w.action,
    what: w.what,
  })
  return {
    outcome: dryRun ? "planned" : "bumped",
    from: plan.from,
    to: plan.to,
    writes: [plan.schema, ...plan.writes].map(write),
    generated: plan.generated.map((w) => displayPath(layout, w.path)),
  }
}

function printText(plan: BumpPlan, layout: ProjectLayout, dryRun: boolean): void {
  if (plan.kind === "nothing") {
    console.log(`nothing to bump: ${plan.reason}`)
    return
  }
  if (plan.kind === "refused") {
    console.error(`cannot bump: ${plan.reason}`)
    return
  }
  const header = dryRun
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
  if (!dryRun) {
    console.log(`next: edit schemas/runner-protocol/v${plan.to}.bare, then run tunnelwire gen`)
  }
}
