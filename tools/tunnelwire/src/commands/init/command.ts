import { existsSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { applyInit } from "./apply.ts"
import { type InitArgs, type InitPlan, planInit, RUNTIME_DEPENDENCIES } from "./plan.ts"
import type { InitFormat } from "./usage.ts"

export interface InitOptions extends InitArgs {
  /** Default: text. */
  readonly format?: InitFormat
}

export function runInit(options: InitOptions): number {
  const plan = planInit(options)
  applyInit(plan)
  const show = (path: string) => relative(plan.root, path).split("\\").join("/")
  const missing = missingDependencies(plan.root)
  if (options.format === "json") {
    const json = {
      family: plan.family,
      root: plan.root,
      config: plan.config,
      writes: plan.writes.map((write) => ({ path: show(write.path), action: write.action })),
      missingDependencies: missing,
    }
    console.log(JSON.stringify(json, null, 2))
    return 0
  }
  console.log(`tunnelwire init: family ${plan.family}`)
  for (const write of plan.writes) {
    console.log(`  ${write.action.padEnd(6)}  ${show(write.path)}: ${write.what}`)
  }
  console.log(nextSteps(plan, missing))
  return 0
}

/** The packages generated code imports that the project's package.json does not list. */
function missingDependencies(root: string): string[] {
  const manifestPath = join(root, "package.json")
  if (!existsSync(manifestPath)) return [...RUNTIME_DEPENDENCIES]
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>
  const listed = new Set(
    ["dependencies", "devDependencies", "peerDependencies"].flatMap((key) => {
      const deps = manifest[key]
      return typeof deps === "object" && deps !== null ? Object.keys(deps) : []
    }),
  )
  return RUNTIME_DEPENDENCIES.filter((name) => !listed.has(name))
}

function nextSteps(plan: InitPlan, missing: readonly string[]): string {
  const { config } = plan
  const steps = [
    ...(missing.length > 0
      ? [`npm install ${missing.join(" ")}   # what generated code imports`]
      : []),
    `$EDITOR ${config.schemas}/v1.bare   # your messages`,
    `npx tunnelwire gen   # writes ${config.out}/: vN/ codecs, versioned.ts, versions.ts`,
    `npx tunnelwire bump  # releases v1, opens v2; edit it, gen again, write ${config.converters}/v1-to-v2.ts`,
    "npx tunnelwire check # what changed between versions, and whether anything breaks",
  ]
  return ["next:", ...steps.map((step) => `  ${step}`)].join("\n")
}
