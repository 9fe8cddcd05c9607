import { readFileSync } from "node:fs"
import { type ProjectSelection, selectFamilies } from "../../config/find-config.ts"
import { SchemaSyntaxError } from "../../schema/schema-error.ts"
import { UsageError } from "../../usage-error.ts"
import { formatGithub } from "./format-github.ts"
import { formatJson } from "./format-json.ts"
import { formatText, useColor } from "./format-text.ts"
import { type CheckReport, exitCodeOf } from "./report.ts"
import { checkProject, checkSchemaPair } from "./run-checks.ts"
import type { Format } from "./usage.ts"

export interface CheckOptions extends ProjectSelection {
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

/** Checks two files, or every selected family of the project, each on its own. */
export async function runCheck(options: CheckOptions, output: Output): Promise<number> {
  if (options.files.length !== 0 && options.files.length !== 2) {
    throw new UsageError("check compares the project, or exactly two schema files")
  }
  if (options.files.length === 2 && options.against !== undefined) {
    throw new UsageError("--against compares the project with a commit; it takes no files")
  }
  const reports: CheckReport[] = []
  try {
    if (options.files.length === 2) {
      reports.push(checkSchemaPair(readSchema(options.files[0]!), readSchema(options.files[1]!)))
    } else {
      for (const layout of selectFamilies(options)) {
        reports.push(await checkProject(layout, options.against))
      }
    }
  } catch (error) {
    if (!(error instanceof SchemaSyntaxError)) throw error
    output.stderr.write(`${error.message}\n`)
    return 100
  }
  output.stdout.write(format(reports, options.format, output))
  return Math.max(...reports.map(exitCodeOf))
}

function format(reports: readonly CheckReport[], name: Format, output: Output): string {
  switch (name) {
    case "json":
      return formatJson(reports)
    case "github":
      return reports.map(formatGithub).join("")
    case "text": {
      const style = { color: useColor(output.stdout, output.env) }
      if (reports.length === 1) return formatText(reports[0]!, style)
      return reports
        .map((report) => `family ${report.family}\n${formatText(report, style)}`)
        .join("\n")
    }
  }
}

function readSchema(file: string): { file: string; source: string } {
  try {
    return { file, source: readFileSync(file, "utf8") }
  } catch {
    throw new UsageError(`cannot read ${file}`)
  }
}
