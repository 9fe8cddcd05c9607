import { parseArgs } from "node:util"
import type { InspectIo } from "../inspect-io.js"
import { startInspectorUi } from "./ui-server.js"

export const UI_HELP = `Usage: tunnelwire inspect ui <gateway-url> [options]

Serves a web page with a live timeline of the gateway mock's tap: a lane per runner connection,
actor, WebSocket and HTTP request, with opens, messages, acks, hibernation, wakes and closes.
Click a marker for the full frame.

Options:
  --port <n>        port to serve on (default: 6430; 0 picks a free one)
  --host <addr>     address to bind (default: 127.0.0.1)
  --token <token>   the gateway's token, if it was started with one
  --help            show this help

Ctrl-C stops. Exit codes: 0 stopped, 1 usage error, 2 the port cannot be used.
`

export async function runUi(argv: readonly string[], io: InspectIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      port: { type: "string", default: "6430" },
      host: { type: "string", default: "127.0.0.1" },
      token: { type: "string" },
      help: { type: "boolean", default: false },
    },
  })
  if (values.help) {
    io.stdout(UI_HELP)
    return 0
  }
  const [gatewayUrl, ...extra] = positionals
  if (gatewayUrl === undefined || extra.length > 0) {
    io.stderr(`give exactly one gateway URL\n\n${UI_HELP}`)
    return 1
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    io.stderr(`--port must be a port number, got "${values.port}"\n`)
    return 1
  }
  let ui: Awaited<ReturnType<typeof startInspectorUi>>
  try {
    ui = await startInspectorUi({
      gatewayUrl,
      port,
      host: values.host,
      ...(values.token === undefined ? {} : { token: values.token }),
    })
  } catch (error) {
    if (error instanceof TypeError) {
      io.stderr(`not a gateway URL: "${gatewayUrl}"\n`)
      return 1
    }
    io.stderr(`cannot serve the inspector on ${values.host}:${port}: ${String(error)}\n`)
    return 2
  }
  io.stdout(`inspector: ${ui.url} (gateway ${gatewayUrl}; Ctrl-C to stop)\n`)
  await untilAborted(io.interrupt)
  await ui.close()
  io.stderr("stopped\n")
  return 0
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return
    if (signal.aborted) return resolve()
    signal.addEventListener("abort", () => resolve(), { once: true })
  })
}
