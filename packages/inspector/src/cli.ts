import { DECODE_HELP, runDecode } from "./decode/decode-command.js"
import type { InspectIo } from "./inspect-io.js"

export type { InspectIo } from "./inspect-io.js"

export const INSPECT_HELP = `Usage: tunnelwire inspect <command> [options]

Commands:
  decode   decode one frame given as hex, base64 or a file

Run \`tunnelwire inspect <command> --help\` for a command's options.
`

/** Entry point of `tunnelwire inspect` and of the `tunnelwire-inspect` bin. Returns the exit code. */
export async function runInspect(argv: readonly string[], io: InspectIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case "decode":
        return await runDecode(rest, io)
      case "--help":
      case "help":
        io.stdout(INSPECT_HELP)
        return 0
      case undefined:
        io.stderr(INSPECT_HELP)
        return 1
      default:
        io.stderr(`unknown inspect command "${command}"\n\n${INSPECT_HELP}`)
        return 1
    }
  } catch (error) {
    if (
      error instanceof TypeError &&
      "code" in error &&
      String(error.code).startsWith("ERR_PARSE_ARGS")
    ) {
      io.stderr(`${error.message}\n\n${command === "decode" ? DECODE_HELP : INSPECT_HELP}`)
      return 1
    }
    throw error
  }
}
