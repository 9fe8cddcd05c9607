import { TOKEN_SUBPROTOCOL_PREFIX } from "../semantics/connection.js"

const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
])
/** Header and query parameter names whose values are credentials (`x-rivet-token`, `?token=`). */
const SECRET_NAME_PATTERN = /token|secret|api[-_]?key|password|passwd|credential|(^|[-_])auth/i
/** The WebSocket subprotocol that carries a token: `rivet_token.<token>`. */
const TOKEN_SUBPROTOCOL = new RegExp(
  `(${TOKEN_SUBPROTOCOL_PREFIX.replace(".", "\\.")})[^,\\s]+`,
  "g",
)
/** One `name=value` pair of a query string; the value ends at `&` or `#`. */
const QUERY_PAIR = /([?&])([^=&#]*)=([^&#]*)/g

export const REDACTED = "<redacted>"

/** The value to print for a header: secrets replaced, everything else as it is. */
export function redactHeader(name: string, value: string): string {
  const lower = name.toLowerCase()
  if (SECRET_HEADERS.has(lower) || SECRET_NAME_PATTERN.test(lower)) return REDACTED
  if (lower === "sec-websocket-protocol") return value.replace(TOKEN_SUBPROTOCOL, `$1${REDACTED}`)
  return value
}

/** A request path with the values of credential query parameters replaced: `/chat?token=<redacted>`. */
export function redactPath(path: string): string {
  return path.replace(QUERY_PAIR, (pair, separator: string, name: string) =>
    SECRET_NAME_PATTERN.test(safeDecode(name)) ? `${separator}${name}=${REDACTED}` : pair,
  )
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
