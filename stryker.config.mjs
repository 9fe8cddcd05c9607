// Stryker, for one scope of scripts/mutation/scopes.mjs named by MUTATION_SCOPE; run it through
// `npm run mutate`. Stryker runs from the repository root so that its sandbox is a copy of the
// whole repository: tests that find the schemas or the root by relative path still do.
import { reportDir, SCOPES } from "./scripts/mutation/scopes.mjs"

// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by scripts/mutate.mjs; no turbo task runs Stryker
const name = process.env.MUTATION_SCOPE ?? ""
const scope = SCOPES[name]
if (scope === undefined) {
  throw new Error(`MUTATION_SCOPE must name one of: ${Object.keys(SCOPES).join(", ")}`)
}
const { pkg } = scope
const inPackage = (glob) => (glob.startsWith("!") ? `!${pkg}/${glob.slice(1)}` : `${pkg}/${glob}`)
const positive = scope.mutate.filter((glob) => !glob.startsWith("!")).map(inPackage)
// A brace list of one entry is not expanded, so one glob goes as it is.
const anyOf = (globs) => (globs.length === 1 ? globs[0] : `{${globs.join(",")}}`)

export default {
  testRunner: "vitest",
  vitest: { configFile: `${pkg}/vitest.config.ts`, dir: pkg },
  // Each mutant runs only the tests that executed its code.
  coverageAnalysis: "perTest",
  mutate: [...scope.mutate.map(inPackage), "!**/*.test.ts", "!**/src/gen/**"],
  incremental: true,
  incrementalFile: `${reportDir(name)}/incremental.json`,
  reporters: ["json", "clear-text", "progress"],
  jsonReporter: { fileName: `${reportDir(name)}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  concurrency: scope.concurrency,
  // A full pass of the protocol suite takes minutes on a loaded 2-core machine.
  dryRunTimeoutMinutes: 30,
  ignorePatterns: ["**/dist", "reports", "**/test-results", "**/coverage", "**/.turbo"],
  // `// @ts-nocheck` on the mutated files only: their instrumented code does not typecheck, and a
  // test that compiles the package (the CLI's bin) would fail on it; generated code, never
  // mutated, must stay byte for byte.
  disableTypeChecks: anyOf(positive),
  // A mutant of a module-level constant is live from import on, so it would rerun the whole suite
  // (minutes for the protocol package); those constants are pinned by their own tests
  // (close-rules.json, the golden vectors).
  ignoreStatic: true,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  thresholds: { high: 90, low: 80, break: null },
}
