// `npm run mutate [-- <scope>… | --summary] [--force]`: runs Stryker over each scope of
// scripts/mutation/scopes.mjs (all of them by default), one after another, then prints the score
// of each and every mutant that survived. `--summary` only prints what the last runs reported;
// `--force` ignores the incremental files and tests every mutant again.
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { reportDir, SCOPES } from "./mutation/scopes.mjs"

const root = fileURLToPath(new URL("..", import.meta.url))
const stryker = fileURLToPath(
  new URL("../node_modules/@stryker-mutator/core/bin/stryker.js", import.meta.url),
)
const TARGET = 80

const args = process.argv.slice(2)
const flags = args.filter((arg) => arg.startsWith("--"))
const named = args.filter((arg) => !arg.startsWith("--"))
const unknown = named.filter((name) => !(name in SCOPES))
if (unknown.length > 0) {
  console.error(`unknown scope ${unknown.join(", ")}; scopes: ${Object.keys(SCOPES).join(", ")}`)
  process.exit(2)
}
const scopes = named.length > 0 ? named : Object.keys(SCOPES)

let failed = false
if (!flags.includes("--summary")) {
  const passed = flags.filter((flag) => flag === "--force")
  for (const scope of scopes) {
    console.log(`\n=== mutate ${scope}`)
    const run = spawnSync(process.execPath, [stryker, "run", "stryker.config.mjs", ...passed], {
      cwd: root,
      stdio: "inherit",
      // The protocol's decoder fuzz test runs every decoder 10,000 times per root type; a few
      // hundred still feed every decoder damaged input, at a fraction of the cost per mutant.
      env: { TUNNELWIRE_FUZZ_RUNS: "300", ...process.env, MUTATION_SCOPE: scope },
    })
    if (run.status !== 0) {
      console.error(`stryker failed on ${scope} (exit ${run.status})`)
      failed = true
    }
  }
}

/** Counts by status and the survivors of one scope's last report, or null when it has none. */
function summarize(scope) {
  const file = `${root}/${reportDir(scope)}/mutation.json`
  if (!existsSync(file)) return null
  const report = JSON.parse(readFileSync(file, "utf8"))
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 }
  const survivors = []
  for (const [path, { mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      if (mutant.status in counts) counts[mutant.status] += 1
      else counts.other += 1
      if (mutant.status === "Survived" || mutant.status === "NoCoverage") {
        const { line, column } = mutant.location.start
        const replacement = (mutant.replacement ?? "").replace(/\s+/g, " ").slice(0, 70)
        survivors.push(`${path}:${line}:${column} ${mutant.mutatorName} → ${replacement}`)
      }
    }
  }
  const detected = counts.Killed + counts.Timeout
  const valid = detected + counts.Survived + counts.NoCoverage
  const score = valid === 0 ? 100 : (100 * detected) / valid
  return { counts, valid, score, survivors }
}

const rows = []
const survivorsByScope = []
for (const scope of scopes) {
  const summary = summarize(scope)
  if (summary === null) {
    rows.push([scope, "no report yet", "", "", "", "", ""])
    continue
  }
  const { counts, valid, score, survivors } = summary
  const mark = score >= TARGET ? "" : ` (below ${TARGET}%)`
  rows.push([
    scope,
    String(valid),
    String(counts.Killed),
    String(counts.Timeout),
    String(counts.Survived),
    String(counts.NoCoverage),
    `${score.toFixed(1)}%${mark}`,
  ])
  if (survivors.length > 0) survivorsByScope.push([scope, survivors])
}

const header = ["scope", "mutants", "killed", "timeout", "survived", "no coverage", "score"]
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)))
const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ")
console.log(`\n${line(header)}\n${line(widths.map((w) => "-".repeat(w)))}`)
for (const row of rows) console.log(line(row))
for (const [scope, survivors] of survivorsByScope) {
  console.log(`\nsurvivors in ${scope} (equivalent ones are listed in docs/mutation-testing.md):`)
  for (const survivor of survivors) console.log(`  ${survivor}`)
}
process.exit(failed ? 1 : 0)
