import { existsSync, readFileSync } from "node:fs"
import { findProjectRoot, type ProjectLayout, projectLayout } from "../../schema/project-layout.ts"
import { SchemaSyntaxError } from "../../schema/schema-error.ts"
import { UsageError } from "../../usage-error.ts"
import { formatGithub } from "./format-github.ts"
import { formatJson } from "./format-json.ts"
import { formatText, useColor } from "./format-text.ts"
import { type CheckReport, exitCodeOf } from "./report.ts"
import { checkProject, checkSchemaPair } from "./run-checks.ts"
import type { Format } from "./usage.ts"

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
    output.stderr.write(`${error.message}\n`)
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
