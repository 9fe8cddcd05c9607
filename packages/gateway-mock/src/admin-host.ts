import { isIPv4 } from "node:net"

/**
 * Whether a `Host` header names this gateway's admin surface: a loopback name, or one of
 * `allowed` (`*` allows any). A page on another site whose DNS name was rebound to 127.0.0.1
 * still sends its own name as Host, so checking it keeps such pages out of the admin API.
 */
export function isAdminHost(host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes("*")) return true
  if (host === undefined) return false
  const name = hostName(host).toLowerCase()
  return isLoopbackName(name) || allowed.some((entry) => entry.toLowerCase() === name)
}

/** `name:port` → `name`; `[v6]:port` → `[v6]`. */
function hostName(host: string): string {
  if (host.startsWith("[")) {
    const close = host.indexOf("]")
    return close === -1 ? host : host.slice(0, close + 1)
  }
  const colon = host.lastIndexOf(":")
  return colon === -1 ? host : host.slice(0, colon)
}

function isLoopbackName(name: string): boolean {
  if (name === "localhost" || name === "[::1]") return true
  return isIPv4(name) && name.startsWith("127.")
}
