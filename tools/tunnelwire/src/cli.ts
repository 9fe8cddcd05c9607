import { parseArgs } from "node:util"
import { GEN_HELP, runGen } from "./commands/gen/command.ts"

const USAGE = `Usage: tunnelwire <command> [options]

Commands:
  gen     generate typed codecs from schemas/runner-protocol/vN.bare

Run \`tunnelwire <command> --help\` for a command's options.
`

/** Exit codes: 0 success, 1 usage error, 100 a check found something out of date or broken. */
export function main(argv: readonly string[]): number {
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
        if (values.help) {
          console.log(GEN_HELP)
          return 0
        }
        return runGen({ check: values.check, root: values.root })
      }
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
    if (
      error instanceof TypeError &&
      "code" in error &&
      String(error.code).startsWith("ERR_PARSE_ARGS")
    ) {
      console.error(`${error.message}\n`)
      return 1
    }
    throw error
  }
}

process.exitCode = main(process.argv.slice(2))
