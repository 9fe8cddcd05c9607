import { createWriteStream, type WriteStream } from "node:fs"
import { parseArgs } from "node:util"
import { sessionEventLine, sessionHeaderLine } from "../../web/session-file.js"
import {
  FILTER_KEYS,
  FilterError,
  filterTerm,
  matchesFilter,
  parseFilter,
  TapContext,
  type TapFilter,
} from "../../web/tap-filter.js"
import type { InspectIo } from "../inspect-io.js"
import { redactTapEvent } from "../tap/redact-event.js"
import { followTap, tapUrl } from "../tap/tap-stream.js"
import { formatEvent } from "./format-event.js"
import { closestKind, knownKinds, unknownKinds } from "./known-kinds.js"
import { COLORS, NO_COLORS } from "./paint.js"

export const TAIL_HELP = `Usage: tunnelwire inspect tail <gateway-url> [options]

Streams the gateway mock's tap: one line per frame and per runner, actor, socket and request
event, as  time  runner  version  direction (→ to the runner, ← from it)  request  kind  text.

Filters (each repeatable or comma-separated; an event must match every filter given):
  --runner <id|key|name>   only this runner's events
  --actor <id>             only this actor's events (its commands, requests and sockets)
  --request <id>           only this request (the 8-character short id is enough)
  --kind <kind>            a message kind (ToClientWebSocketMessage, or WebSocketMessage for both
                           directions), a gateway event (socket.hibernate) or a type (socket, frame)
  --version <n>            only runners speaking this protocol version
  --fault <text>           only faults whose message contains this (* for every fault)
  --filter <query>         the same filters as one query, as the inspector page takes them:
                           'kind:socket runner:chat-runner hello' (words are free text)
Options:
  --out <file>             also write the events shown to a session file (inspect ui --file opens it)
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
      version: { type: "string", multiple: true },
      fault: { type: "string", multiple: true },
      filter: { type: "string", multiple: true },
      out: { type: "string" },
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
  const query = [
    ...FILTER_KEYS.flatMap((key) => (values[key] ?? []).map((value) => filterTerm(key, value))),
    ...(values.filter ?? []),
  ].join(" ")
  let filter: TapFilter
  try {
    filter = parseFilter(query)
  } catch (error) {
    if (!(error instanceof FilterError)) throw error
    io.stderr(`${error.message}\n`)
    return 1
  }
  const kindError = unknownKindMessage(filter)
  if (kindError !== undefined) {
    io.stderr(kindError)
    return 1
  }
  let out: WriteStream | undefined
  if (values.out !== undefined) {
    const opened = await openSessionFile(values.out, url)
    if (typeof opened === "string") {
      io.stderr(opened)
      return 1
    }
    out = opened
  }
  const context = new TapContext()
  const paint = io.color === true ? COLORS : NO_COLORS
  const end = await followTap(url, {
    ...(io.interrupt === undefined ? {} : { signal: io.interrupt }),
    ...(values.token === undefined ? {} : { token: values.token }),
    onOpen: () => io.stderr(`following ${url} (Ctrl-C to stop)\n`),
    onEvent: (received) => {
      const event = redactTapEvent(received)
      context.observe(event)
      if (!matchesFilter(event, filter, context)) return
      out?.write(sessionEventLine(event))
      io.stdout(
        values.json ? `${JSON.stringify(event)}\n` : `${formatEvent(event, context, paint)}\n`,
      )
    },
  })
  if (out !== undefined) await new Promise((resolve) => out.end(resolve))
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

/** A usage message for kinds that match nothing, with a guess and every valid choice. */
function unknownKindMessage(filter: TapFilter): string | undefined {
  const known = knownKinds()
  const unknown = unknownKinds(filter.kinds, known)
  if (unknown.length === 0) return undefined
  const guesses = unknown.map((kind) => {
    const closest = closestKind(kind, known)
    return closest === undefined ? `"${kind}"` : `"${kind}" (did you mean ${closest}?)`
  })
  return (
    `unknown --kind ${guesses.join(", ")}; valid kinds:\n` +
    `  types: ${known.types.join(", ")}\n` +
    `  gateway events: ${known.events.join(", ")}\n` +
    `  messages: ${known.messages.join(", ")}\n`
  )
}

/** The session file, its header written; or the one-line reason it cannot be written. */
async function openSessionFile(path: string, source: string): Promise<WriteStream | string> {
  const stream = createWriteStream(path)
  return new Promise((resolve) => {
    stream.once("error", (error: NodeJS.ErrnoException) =>
      resolve(`cannot write the session file ${path}: ${error.code ?? error.message}\n`),
    )
    stream.once("ready", () => {
      stream.write(sessionHeaderLine(source))
      resolve(stream)
    })
  })
}
