import { TOKEN_SUBPROTOCOL_PREFIX } from "../semantics/connection.js"

const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
])
const SECRET_HEADER_PATTERN = /token|secret|api-key|apikey|password/i
/** The WebSocket subprotocol that carries a token: `rivet_token.<token>`. */
const TOKEN_SUBPROTOCOL = new RegExp(
  `(${TOKEN_SUBPROTOCOL_PREFIX.replace(".", "\\.")})[^,\\s]+`,
  "g",
)

export const REDACTED = "<redacted>"

/** The value to print for a header: secrets replaced, everything else as it is. */
export function redactHeader(name: string, value: string): string {
  const lower = name.toLowerCase()
  if (SECRET_HEADERS.has(lower) || SECRET_HEADER_PATTERN.test(lower)) return REDACTED
  if (lower === "sec-websocket-protocol") return value.replace(TOKEN_SUBPROTOCOL, `$1${REDACTED}`)
  return value
}
