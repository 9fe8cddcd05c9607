// The hand-written code whose semantics mutation testing measures, one scope per row. Generated
// code (`packages/protocol/src/gen`) is never mutated: the generator's tests and the golden
// vectors pin it. Each scope runs its own package's vitest suite, has its own report and
// incremental file, and can run alone: `npm run mutate -- protocol-semantics`.

/** @type {Record<string, { pkg: string, mutate: string[], concurrency: number }>} */
export const SCOPES = {
  "protocol-semantics": { pkg: "packages/protocol", mutate: ["src/semantics/**"], concurrency: 2 },
  // The runtime's own tests drive it with a family unlike the runner protocol; the protocol's
  // suite exercises it through the built package, which Stryker's mutants do not reach.
  runtime: { pkg: "packages/runtime", mutate: ["src/**"], concurrency: 2 },
  "protocol-migrations": {
    pkg: "packages/protocol",
    mutate: ["src/migrations/**"],
    concurrency: 2,
  },
  // rule-corpus.ts is test data: the schema pairs every rule is checked against.
  "cli-rules": {
    pkg: "tools/tunnelwire",
    mutate: ["src/rules/**", "!src/rules/rule-corpus.ts"],
    concurrency: 2,
  },
  "cli-diff": { pkg: "tools/tunnelwire", mutate: ["src/diff/**"], concurrency: 2 },
  // One process: a second one brought no speed-up on 2 shared cores (a mutant's time is vitest
  // importing the tests and the protocol package again, CPU) and turned a survivor into a false
  // timeout (docs/mutation-testing.md, "runner and gateway-mock").
  runner: { pkg: "packages/runner", mutate: ["src/**"], concurrency: 1 },
  // bin.ts only parses the command line and starts the gateway.
  "gateway-mock": {
    pkg: "packages/gateway-mock",
    mutate: ["src/**", "!src/bin.ts"],
    concurrency: 1,
  },
}

/**
 * Where a scope's report and incremental file live: `reports/mutation/<scope>/` at the root,
 * ignored by git. The incremental file makes a rerun after a small change test only the mutants
 * in changed code or covered by changed tests; delete it, or pass `--force`, to start afresh.
 */
export const reportDir = (scope) => `reports/mutation/${scope}`
