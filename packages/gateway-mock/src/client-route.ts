import { percentDecoded } from "./percent-decoded.js"

const GATEWAY_PREFIX = "/gateway/"
/** Only the path and query of a request target matter; the base stands in for the authority. */
const BASE = "http://gateway"

/** A request target as a URL, or null when it does not parse as one. */
export function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? "/", BASE)
  } catch {
    return null
  }
}

export type ClientRoute =
  | { readonly ok: true; readonly actorId: string; readonly path: string }
  | { readonly ok: false; readonly error: string }

/**
 * `/gateway/{actorId}/rest?query` → the actor and the path the actor sees (`/rest?query`); null
 * when the path is not a client route. An actor id that does not percent-decode is an error the
 * client made, not the gateway's.
 */
export function clientRoute(url: URL): ClientRoute | null {
  if (!url.pathname.startsWith(GATEWAY_PREFIX)) return null
  const rest = url.pathname.slice(GATEWAY_PREFIX.length)
  const slash = rest.indexOf("/")
  const rawId = slash === -1 ? rest : rest.slice(0, slash)
  if (rawId === "") return null
  const actorId = percentDecoded(rawId)
  if (actorId === null) return { ok: false, error: "the actor id is not valid percent-encoding" }
  const path = (slash === -1 ? "/" : rest.slice(slash)) + url.search
  return { ok: true, actorId, path }
}
