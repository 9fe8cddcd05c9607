const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
])
/** Header and query parameter names whose values are credentials (`x-api-token`, `?token=`). */
const SECRET_NAME_PATTERN = /token|secret|api[-_]?key|password|passwd|credential|(^|[-_])auth/i
/**
 * A WebSocket subprotocol that carries a credential after its name: `<name>.<credential>`, where
 * the name looks like a secret's (`app_token.abc123`). Browsers cannot set headers on a
 * WebSocket, so protocols pass tokens this way.
 */
const CREDENTIAL_SUBPROTOCOL = /(^|[,\s])([^,\s.]+\.)[^,\s]+/g
/** One `name=value` pair of a query string; the value ends at `&` or `#`. */
const QUERY_PAIR = /([?&])([^=&#]*)=([^&#]*)/g

export const REDACTED = "<redacted>"

/** The value to print for a header: secrets replaced, everything else as it is. */
export function redactHeader(name: string, value: string): string {
  const lower = name.toLowerCase()
  if (SECRET_HEADERS.has(lower) || SECRET_NAME_PATTERN.test(lower)) return REDACTED
  if (lower === "sec-websocket-protocol") {
    return value.replace(CREDENTIAL_SUBPROTOCOL, (entry, before: string, label: string) =>
      SECRET_NAME_PATTERN.test(label) ? `${before}${label}${REDACTED}` : entry,
    )
  }
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
