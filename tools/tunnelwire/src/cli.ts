import { parseArgs } from "node:util"
import { BUMP_HELP, runBump } from "./commands/bump/command.ts"
import { CHECK_HELP, FORMATS, type Format, runCheck } from "./commands/check/command.ts"
import { GEN_HELP, runGen } from "./commands/gen/command.ts"
import { ruleListMarkdown } from "./rules/rule-list.ts"
import { UsageError } from "./usage-error.ts"

const USAGE = `Usage: tunnelwire <command> [options]

Commands:
  gen     generate typed codecs from schemas/runner-protocol/vN.bare, and scaffold converters
  check   report what changed between versions, and fail when a release or converter breaks
  bump    release the newest schema version and open the next one
  inspect decode frames, tail a gateway's tap, serve its timeline page (@tunnelwire/inspector)

Run \`tunnelwire <command> --help\` for a command's options.
`

/** Exit codes: 0 success, 1 usage error, 100 a check found something out of date or broken. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case "gen": {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            check: { type: "boolean", default: false },
            root: { type: "string" },
            help: { type: "boolean", default: false },
          },
        })
        if (values.help) return help(GEN_HELP)
        return runGen({ check: values.check, root: values.root })
      }
      case "check": {
        const { values, positionals } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: {
            against: { type: "string" },
            format: { type: "string", default: "text" },
            "list-rules": { type: "boolean", default: false },
            root: { type: "string" },
            help: { type: "boolean", default: false },
          },
        })
        if (values.help) return help(CHECK_HELP)
        if (values["list-rules"]) return help(ruleListMarkdown())
        if (!isFormat(values.format)) {
          throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`)
        }
        return await runCheck(
          {
            root: values.root,
            against: values.against,
            format: values.format,
            files: positionals,
          },
          { stdout: process.stdout, stderr: process.stderr, env: process.env },
        )
      }
      case "bump": {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            "dry-run": { type: "boolean", default: false },
            root: { type: "string" },
            help: { type: "boolean", default: false },
          },
        })
        if (values.help) return help(BUMP_HELP)
        return runBump({ dryRun: values["dry-run"], root: values.root })
      }
      case "inspect":
        return await runInspector(rest)
      case undefined:
      case "help":
      case "--help":
        console.log(USAGE)
        return command === undefined ? 1 : 0
      default:
        console.error(`unknown command "${command}"\n\n${USAGE}`)
        return 1
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      console.error(`${error.message}\n`)
      return 1
    }
    throw error
  }
}

/** What `tunnelwire inspect` uses of `@tunnelwire/inspector/cli`. */
interface InspectorCli {
  runInspect(argv: readonly string[], io: unknown): Promise<number>
  nodeInspectIo(): unknown
}

/**
 * Forwards to the inspector's own CLI. It is loaded by a specifier held in a variable so that the
 * tools, which build before every package, never depend on the inspector's build to typecheck.
 */
async function runInspector(argv: readonly string[]): Promise<number> {
  const specifier = "@tunnelwire/inspector/cli"
  let inspector: InspectorCli
  try {
    inspector = (await import(specifier)) as InspectorCli
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ERR_MODULE_NOT_FOUND")) {
      throw error
    }
    console.error("the inspector is not built yet: run `npm run build` first\n")
    return 1
  }
  return inspector.runInspect(argv, inspector.nodeInspectIo())
}

function help(text: string): number {
  console.log(text)
  return 0
}

function isFormat(value: string): value is Format {
  return FORMATS.some((format) => format === value)
}

function isParseArgsError(error: unknown): error is TypeError {
  return (
    error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")
  )
}
