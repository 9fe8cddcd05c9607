import { existsSync, readFileSync } from "node:fs"
import { SchemaSyntaxError } from "../../schema/parse-schema.ts"
import { findProjectRoot, type ProjectLayout, projectLayout } from "../../schema/project-layout.ts"
import { UsageError } from "../../usage-error.ts"
import { formatGithub } from "./format-github.ts"
import { formatJson } from "./format-json.ts"
import { formatText, useColor } from "./format-text.ts"
import { type CheckReport, exitCodeOf } from "./report.ts"
import { checkProject, checkSchemaPair } from "./run-checks.ts"

export const CHECK_HELP = `Usage: tunnelwire check [--against <git-ref>] [--format text|json|github] [--root <dir>]
       tunnelwire check <old.bare> <new.bare> [--format text|json|github]

Checks the project's schemas and reports what it finds as rules (the rule table is in
tools/tunnelwire/README.md), each with a severity for an old reader of new bytes and for a
new reader of old bytes (BREAKING, DANGEROUS or SAFE) and the file:line:column it is about:
  - what changed between each pair of adjacent versions, and the converters that bridge them;
  - that every version released in schemas/runner-protocol/versions.json keeps its pinned
    fingerprint, and that its golden vectors (packages/protocol/test/golden/vN/*.bin) still
    decode and re-encode to the same bytes with the current generated code;
  - that every type whose shape changed has a written upgrade and downgrade;
  - with --against, what changed in each schema since that commit, and that a schema change
    comes with a changeset for @tunnelwire/protocol.

Given two files, compares them as two copies of one version, as two peers that both claim it:
any change that is not SAFE both ways fails.

Options:
  --against <ref>   also compare with the schemas, lock and changesets of a git commit
  --format <name>   text (default; colored on a terminal unless NO_COLOR is set), json, github
  --root <dir>      the project root (default: nearest parent with schemas/runner-protocol)
  --list-rules      print every rule with its severities and purpose, as a Markdown table
  --help            show this help

Exit codes: 0 nothing fails, 1 usage error, 100 something breaks.
`

export const FORMATS = ["text", "json", "github"] as const
export type Format = (typeof FORMATS)[number]

export interface CheckOptions {
  readonly root: string | undefined
  readonly against: string | undefined
  readonly format: Format
  /** Two schema files to compare, or none to check the project. */
  readonly files: readonly string[]
}

export interface Output {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean }
  readonly stderr: { write(text: string): unknown }
  readonly env: NodeJS.ProcessEnv
}

export async function runCheck(options: CheckOptions, output: Output): Promise<number> {
  if (options.files.length !== 0 && options.files.length !== 2) {
    throw new UsageError("check compares the project, or exactly two schema files")
  }
  if (options.files.length === 2 && options.against !== undefined) {
    throw new UsageError("--against compares the project with a commit; it takes no files")
  }
  let report: CheckReport
  try {
    report =
      options.files.length === 2
        ? checkSchemaPair(readSchema(options.files[0]!), readSchema(options.files[1]!))
        : await checkProject(layoutAt(options.root), options.against)
  } catch (error) {
    if (!(error instanceof SchemaSyntaxError)) throw error
    output.stderr.write(`error ${error.message}\n`)
    return 100
  }
  output.stdout.write(format(report, options.format, output))
  return exitCodeOf(report)
}

function format(report: CheckReport, name: Format, output: Output): string {
  switch (name) {
    case "json":
      return formatJson(report)
    case "github":
      return formatGithub(report)
    case "text":
      return formatText(report, { color: useColor(output.stdout, output.env) })
  }
}

function layoutAt(root: string | undefined): ProjectLayout {
  if (root === undefined) return projectLayout(findProjectRoot())
  const layout = projectLayout(root)
  if (!existsSync(layout.schemaDir)) throw new UsageError(`--root ${root}: no ${layout.schemaDir}`)
  return layout
}

function readSchema(file: string): { file: string; source: string } {
  try {
    return { file, source: readFileSync(file, "utf8") }
  } catch {
    throw new UsageError(`cannot read ${file}`)
  }
}
