import { parseArgs } from "node:util"
import { parseSession, SessionFileError } from "../../web/session-file.js"
import { fileErrorText } from "../file-error.js"
import type { InspectIo } from "../inspect-io.js"
import { redactTapEvent } from "../tap/redact-event.js"
import { type InspectorUiOptions, type RecordedSession, startInspectorUi } from "./ui-server.js"

export const UI_HELP = `Usage: tunnelwire inspect ui <gateway-url> [options]
       tunnelwire inspect ui --file <session> [options]

Serves a web page with a live timeline of the gateway mock's tap: a lane per runner connection,
actor, WebSocket and HTTP request, with opens, messages, acks, hibernation, wakes and closes.
Click a marker for the full frame. With --file, shows a session file (from the page's export or
inspect tail --out) instead, with no gateway.

Options:
  --file <session>      show this session file instead of a gateway's tap
  --port <n>            port to serve on (default: 6430; 0 picks a free one)
  --host <addr>         address to bind (default: 127.0.0.1)
  --allow-host <name>   answer to this Host name too (repeatable); by default only localhost,
                        127.0.0.0/8 and [::1], so a DNS-rebinding page cannot read the tap
  --token <token>       the gateway's token, if it was started with one
  --help                show this help

Ctrl-C stops. Exit codes: 0 stopped, 1 usage error, 2 the port cannot be used.
`

export async function runUi(argv: readonly string[], io: InspectIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      file: { type: "string" },
      port: { type: "string", default: "6430" },
      host: { type: "string", default: "127.0.0.1" },
      "allow-host": { type: "string", multiple: true },
      token: { type: "string" },
      help: { type: "boolean", default: false },
    },
  })
  if (values.help) {
    io.stdout(UI_HELP)
    return 0
  }
  const [gatewayUrl, ...extra] = positionals
  const wantsOneSource =
    values.file === undefined ? gatewayUrl !== undefined : gatewayUrl === undefined
  if (!wantsOneSource || extra.length > 0) {
    io.stderr(`give exactly one gateway URL, or --file <session>\n\n${UI_HELP}`)
    return 1
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    io.stderr(`--port must be a port number, got "${values.port}"\n`)
    return 1
  }
  let source: InspectorUiOptions
  if (values.file !== undefined) {
    const session = await readSession(values.file, io)
    if (typeof session === "string") {
      io.stderr(session)
      return 1
    }
    source = { session }
  } else {
    source = {
      gatewayUrl: gatewayUrl ?? "",
      ...(values.token === undefined ? {} : { token: values.token }),
    }
  }
  let ui: Awaited<ReturnType<typeof startInspectorUi>>
  try {
    ui = await startInspectorUi({
      ...source,
      port,
      host: values.host,
      allowedHosts: values["allow-host"] ?? [],
    })
  } catch (error) {
    if (error instanceof TypeError) {
      io.stderr(`not a gateway URL: "${gatewayUrl}"\n`)
      return 1
    }
    io.stderr(`cannot serve the inspector on ${values.host}:${port}: ${String(error)}\n`)
    return 2
  }
  const shown = values.file === undefined ? `gateway ${gatewayUrl}` : `session ${values.file}`
  io.stdout(`inspector: ${ui.url} (${shown}; Ctrl-C to stop)\n`)
  await untilAborted(io.interrupt)
  await ui.close()
  io.stderr("stopped\n")
  return 0
}

/** The session file's events, redacted again; or the one line that says why it cannot be read. */
async function readSession(path: string, io: InspectIo): Promise<RecordedSession | string> {
  let text: string
  try {
    text = new TextDecoder().decode(await io.readFile(path))
  } catch (error) {
    return `cannot read the session file ${path}: ${fileErrorText(error)}\n`
  }
  try {
    return { name: path, events: parseSession(text).events.map(redactTapEvent) }
  } catch (error) {
    if (error instanceof SessionFileError) return `${path}: ${error.message}\n`
    throw error
  }
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return
    if (signal.aborted) return resolve()
    signal.addEventListener("abort", () => resolve(), { once: true })
  })
}
