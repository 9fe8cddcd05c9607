import { parseArgs } from "node:util"
import type { InspectIo } from "../inspect-io.js"
import { TapContext } from "../tap/tap-context.js"
import { followTap, tapUrl } from "../tap/tap-stream.js"
import { formatEvent } from "./format-event.js"
import { COLORS, NO_COLORS } from "./paint.js"
import { filterValues, matchesFilter, type TapFilter } from "./tap-filter.js"

export const TAIL_HELP = `Usage: tunnelwire inspect tail <gateway-url> [options]

Streams the gateway mock's tap: one line per frame and per runner, actor, socket and request
event, as  time  runner  version  direction (→ to the runner, ← from it)  request  kind  text.

Options (each filter is repeatable or comma-separated; an event must match every filter given):
  --runner <id|key|name>   only this runner's events
  --actor <id>             only this actor's events (its commands, requests and sockets)
  --request <id>           only this request (the 8-character short id is enough)
  --kind <kind>            a message kind (ToClientWebSocketMessage, or WebSocketMessage for both
                           directions), a gateway event (socket.hibernate) or a type (socket, frame)
  --json                   print each event as one line of JSON, as the tap sent it
  --no-history             skip the events the gateway kept from before the tail started
  --token <token>          the gateway's token, if it was started with one
  --help                   show this help

Colors on a terminal unless NO_COLOR is set. Ctrl-C stops.
Exit codes: 0 stopped with Ctrl-C, 1 usage error, 2 the gateway cannot be reached, 3 the gateway went away.
`

export async function runTail(argv: readonly string[], io: InspectIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      runner: { type: "string", multiple: true },
      actor: { type: "string", multiple: true },
      request: { type: "string", multiple: true },
      kind: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
      "no-history": { type: "boolean", default: false },
      token: { type: "string" },
      help: { type: "boolean", default: false },
    },
  })
  if (values.help) {
    io.stdout(TAIL_HELP)
    return 0
  }
  const [gatewayUrl, ...extra] = positionals
  if (gatewayUrl === undefined || extra.length > 0) {
    io.stderr(`give exactly one gateway URL\n\n${TAIL_HELP}`)
    return 1
  }
  let url: string
  try {
    url = tapUrl(gatewayUrl, !values["no-history"])
  } catch {
    io.stderr(`not a gateway URL: "${gatewayUrl}"\n`)
    return 1
  }
  const filter: TapFilter = {
    runners: filterValues(values.runner),
    actors: filterValues(values.actor),
    requests: filterValues(values.request),
    kinds: filterValues(values.kind),
  }
  const context = new TapContext()
  const paint = io.color === true ? COLORS : NO_COLORS
  const end = await followTap(url, {
    ...(io.interrupt === undefined ? {} : { signal: io.interrupt }),
    ...(values.token === undefined ? {} : { token: values.token }),
    onOpen: () => io.stderr(`following ${url} (Ctrl-C to stop)\n`),
    onEvent: (event) => {
      context.observe(event)
      if (!matchesFilter(event, filter, context)) return
      io.stdout(
        values.json ? `${JSON.stringify(event)}\n` : `${formatEvent(event, context, paint)}\n`,
      )
    },
  })
  switch (end.reason) {
    case "interrupted":
      io.stderr("stopped\n")
      return 0
    case "unreachable":
      io.stderr(`cannot reach the gateway tap at ${url}: ${end.detail}\n`)
      return 2
    case "gone":
      io.stderr(`the gateway went away (close ${end.code}${end.detail ? ` ${end.detail}` : ""})\n`)
      return 3
  }
}
