import { displayPath, type FamilyLayout } from "../../config/family-layout.ts"
import { type ProjectSelection, selectFamilies } from "../../config/find-config.ts"
import { UsageError } from "../../usage-error.ts"
import { applyBump } from "./apply.ts"
import { type BumpPlan, planBump } from "./plan.ts"
import type { BumpFormat } from "./usage.ts"

export interface BumpArgs extends ProjectSelection {
  readonly dryRun: boolean
  /** Default: text. */
  readonly format?: BumpFormat
}

/** Bumps one family: the config's only one, or the one `--family` names. */
export function runBump(args: BumpArgs): number {
  const families = selectFamilies(args)
  if (families.length > 1) {
    const names = families.map((family) => family.family).join(", ")
    throw new UsageError(`the config names several families (${names}); pick one with --family`)
  }
  const layout = families[0]!
  const plan = planBump(layout)
  if (plan.kind === "bump" && !args.dryRun) applyBump(plan)
  if (args.format === "json") {
    console.log(JSON.stringify(jsonOf(plan, layout, args.dryRun), null, 2))
  } else {
    printText(plan, layout, args.dryRun)
  }
  return plan.kind === "refused" ? 100 : 0
}

function jsonOf(plan: BumpPlan, layout: FamilyLayout, dryRun: boolean): unknown {
  if (plan.kind !== "bump")
    return { family: layout.family, outcome: plan.kind, reason: plan.reason }
  const write = (w: { path: string; action: string; what: string }) => ({
    path: displayPath(layout, w.path),
    action: w.action,
    what: w.what,
  })
  return {
    family: layout.family,
    outcome: dryRun ? "planned" : "bumped",
    from: plan.from,
    to: plan.to,
    writes: [plan.schema, ...plan.writes].map(write),
    generated: plan.generated.map((w) => displayPath(layout, w.path)),
  }
}

function printText(plan: BumpPlan, layout: FamilyLayout, dryRun: boolean): void {
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
    const schema = displayPath(layout, plan.schema.path)
    console.log(`next: edit ${schema}, then run tunnelwire gen`)
  }
}
