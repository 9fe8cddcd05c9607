import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import type { InitPlan } from "./plan.ts"

/** Writes what `planInit` planned; the config goes last, so a family is named only once it exists. */
export function applyInit(plan: InitPlan): void {
  for (const write of plan.writes) {
    mkdirSync(dirname(write.path), { recursive: true })
    writeFileSync(write.path, write.content)
  }
}
