import { DECODE_HELP, runDecode } from "./decode/decode-command.js"
import type { InspectIo } from "./inspect-io.js"
import { runTail, TAIL_HELP } from "./tail/tail-command.js"
import { runUi, UI_HELP } from "./ui/ui-command.js"

export type { InspectIo } from "./inspect-io.js"
export { nodeInspectIo } from "./node-io.js"

export const INSPECT_HELP = `Usage: tunnelwire inspect <command> [options]

Commands:
  decode   decode one frame given as hex, base64 or a file
  tail     stream a gateway mock's tap, one line per event, with filters
  ui       serve a web page with a live timeline of a gateway mock's tap

Run \`tunnelwire inspect <command> --help\` for a command's options.
`

/** Entry point of `tunnelwire inspect` and of the `tunnelwire-inspect` bin. Returns the exit code. */
export async function runInspect(argv: readonly string[], io: InspectIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case "decode":
        return await runDecode(rest, io)
      case "tail":
        return await runTail(rest, io)
      case "ui":
        return await runUi(rest, io)
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
      io.stderr(`${error.message}\n\n${helpFor(command)}`)
      return 1
    }
    throw error
  }
}

function helpFor(command: string | undefined): string {
  switch (command) {
    case "decode":
      return DECODE_HELP
    case "tail":
      return TAIL_HELP
    case "ui":
      return UI_HELP
    default:
      return INSPECT_HELP
  }
}
