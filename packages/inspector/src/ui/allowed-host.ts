import type { IncomingMessage } from "node:http"
import { isIPv4 } from "node:net"

/**
 * Whether a request's `Host` names this machine (localhost, 127.0.0.0/8, [::1]) or one of the
 * names the inspector was told to answer to. A DNS-rebinding page (`evil.test` resolving to
 * 127.0.0.1) sends its own name as Host and its own origin, so comparing them proves nothing:
 * the name itself must be one we know.
 */
export function hostAllowed(req: IncomingMessage, extraHosts: readonly string[]): boolean {
  const name = hostName(req.headers.host)
  if (name === null) return false
  return isLoopbackName(name) || extraHosts.some((host) => host.toLowerCase() === name)
}

function isLoopbackName(name: string): boolean {
  if (name === "localhost" || name.endsWith(".localhost") || name === "[::1]") return true
  return isIPv4(name) && name.startsWith("127.")
}

/** `Host` without its port, lower case; null when missing or not a host. */
function hostName(host: string | undefined): string | null {
  if (host === undefined || host === "") return null
  try {
    return new URL(`http://${host}`).hostname.toLowerCase()
  } catch {
    return null
  }
}
