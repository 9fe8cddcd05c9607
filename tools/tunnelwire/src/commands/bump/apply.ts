import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import type { BumpPlan } from "./plan.ts"

/**
 * Writes what `planBump` planned. The new schema goes last: until it exists, running bump again
 * plans the same bump, so an interrupted one can simply be run again.
 */
export function applyBump(plan: Extract<BumpPlan, { kind: "bump" }>): void {
  for (const write of [...plan.writes, ...plan.generated, plan.schema]) {
    mkdirSync(dirname(write.path), { recursive: true })
    writeFileSync(write.path, write.content)
  }
}
