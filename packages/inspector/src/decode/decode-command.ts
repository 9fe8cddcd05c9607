import { parseArgs } from "node:util"
import { stringify, toJson, VersionError } from "@tunnelwire/protocol/pinned/v3"
import { fileErrorText } from "../file-error.js"
import type { InspectIo } from "../inspect-io.js"
import { decodeFrame } from "./decode-frame.js"
import { hexDumpAround } from "./hex-dump.js"
import { bytesFromText, guessEncoding, InputError } from "./read-input.js"

export const DECODE_HELP = `Usage: tunnelwire inspect decode [<hex-or-base64>] [options]

Decodes one runner protocol frame and prints it on one line (or as JSON).
Input: the argument, --file <path> (raw bytes), or standard input (text) when neither is given.

Options:
  --type <Root>        ToClient, ToServer, ToGateway or ToServerlessServer (default: every root type
                       is tried; the one that decodes is used)
  --version <N>        protocol version of the bytes (default: latest)
  --embedded           the bytes start with a u16 little-endian version (stored or relayed frames)
  --encoding <e>       hex or base64 (default: guessed)
  --file <path>        read raw bytes from a file
  --json               print the lossless JSON mapping instead
  --no-redact          show authorization, cookie and token headers
  --help               show this help

Exit codes: 0 decoded, 1 usage error, 2 the bytes do not decode.
`

export async function runDecode(argv: readonly string[], io: InspectIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      type: { type: "string" },
      version: { type: "string" },
      embedded: { type: "boolean", default: false },
      encoding: { type: "string" },
      file: { type: "string" },
      json: { type: "boolean", default: false },
      "no-redact": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  })
  if (values.help) {
    io.stdout(DECODE_HELP)
    return 0
  }
  if (values.encoding !== undefined && values.encoding !== "hex" && values.encoding !== "base64") {
    io.stderr(`--encoding must be hex or base64, got "${values.encoding}"\n`)
    return 1
  }
  const version = values.version === undefined ? undefined : Number(values.version)
  if (version !== undefined && !Number.isInteger(version)) {
    io.stderr(`--version must be an integer, got "${values.version}"\n`)
    return 1
  }
  let bytes: Uint8Array
  // Text that is not hex is read as base64, which a typo often is too: say so if it fails.
  let readAsBase64 = ""
  if (values.file !== undefined) {
    try {
      bytes = new Uint8Array(await io.readFile(values.file))
    } catch (error) {
      io.stderr(`cannot read --file ${values.file}: ${fileErrorText(error)}\n`)
      return 1
    }
  } else {
    const text = positionals[0] ?? new TextDecoder().decode(await io.readStdin())
    try {
      bytes = bytesFromText(text, values.encoding as "hex" | "base64" | undefined)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      io.stderr(`${error.message}\n`)
      return 1
    }
    if (values.encoding === undefined && guessEncoding(text) === "base64") {
      readAsBase64 = `the input is not hex, so it was read as base64 (${bytes.length} bytes); pass --encoding hex or --encoding base64 to say which\n`
    }
  }

  let result: ReturnType<typeof decodeFrame>
  try {
    result = decodeFrame({ bytes, type: values.type, version, embedded: values.embedded })
  } catch (error) {
    if (error instanceof VersionError || error instanceof Error) {
      const usage = error instanceof VersionError || /root type/.test(error.message)
      io.stderr(`${usage ? "" : readAsBase64}${error.message}\n`)
      return usage ? 1 : 2
    }
    throw error
  }
  if (result.ok === "ambiguous") {
    io.stderr(
      `these ${bytes.length} bytes decode as v${result.version} ${result.types.join(" and ")}; pass --type\n`,
    )
    return 1
  }
  if (result.ok === false) {
    io.stderr(readAsBase64)
    for (const { error } of result.failures) io.stderr(`${error.message}\n`)
    const deepest = result.failures.reduce((a, b) => (b.error.offset > a.error.offset ? b : a))
    io.stderr(`${hexDumpAround(bytes, deepest.error.offset + result.payloadOffset)}\n`)
    return 2
  }
  const options = { version: result.version, type: result.type }
  io.stdout(
    values.json
      ? `${JSON.stringify(toJson(result.message, options), null, 2)}\n`
      : `v${result.version} ${result.type} ${stringify(result.message, { ...options, redact: !values["no-redact"] })}\n`,
  )
  return 0
}
