import { timingSafeEqual } from "node:crypto"
import type { IncomingMessage } from "node:http"
import {
  isProtocolVersion,
  PROTOCOL_VERSIONS,
  parseRunnerConnectUrl,
  type RunnerConnectParams,
  tokenFromSubprotocols,
} from "@tunnelwire/protocol"

export type UpgradeVerdict =
  | { readonly ok: true; readonly params: RunnerConnectParams }
  | { readonly ok: false; readonly status: 400 | 401; readonly error: string }

/**
 * Everything checked before a runner's socket is upgraded: the connect URL, a protocol version
 * this gateway speaks, and the token among the offered subprotocols.
 */
export function checkRunnerUpgrade(
  req: IncomingMessage,
  url: URL,
  token: string | undefined,
): UpgradeVerdict {
  const parsed = parseRunnerConnectUrl(url)
  if (!parsed.ok) return { ok: false, status: 400, error: parsed.error }
  const version = parsed.params.protocolVersion
  if (!isProtocolVersion(version)) {
    const known = PROTOCOL_VERSIONS.join(", ")
    return {
      ok: false,
      status: 400,
      error: `unsupported protocol_version ${version}; this gateway speaks ${known}`,
    }
  }
  if (token !== undefined) {
    const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim())
    const given = tokenFromSubprotocols(offered)
    if (given === undefined) return { ok: false, status: 401, error: "missing runner token" }
    if (!sameSecret(given, token)) return { ok: false, status: 401, error: "wrong runner token" }
  }
  return { ok: true, params: parsed.params }
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
