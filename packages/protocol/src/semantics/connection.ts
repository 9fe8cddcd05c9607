// How a runner reaches the gateway: the connect URL with the protocol version fixed per connection,
// and the token carried as a WebSocket subprotocol.

export const RUNNER_CONNECT_PATH = "/runners/connect"
export const RIVET_SUBPROTOCOL = "rivet"
export const TOKEN_SUBPROTOCOL_PREFIX = "rivet_token."

export interface RunnerConnectParams {
  readonly protocolVersion: number
  readonly namespace: string
  readonly runnerKey: string
}

/** `ws(s)://host/runners/connect?protocol_version=N&namespace=NS&runner_key=KEY`. */
export function runnerConnectUrl(endpoint: string, params: RunnerConnectParams): string {
  const url = new URL(RUNNER_CONNECT_PATH, endpoint)
  url.protocol = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:"
  url.searchParams.set("protocol_version", String(params.protocolVersion))
  url.searchParams.set("namespace", params.namespace)
  url.searchParams.set("runner_key", params.runnerKey)
  return url.toString()
}

/** The connect parameters of a request URL, or a description of what is wrong with it. */
export function parseRunnerConnectUrl(
  url: URL,
): { ok: true; params: RunnerConnectParams } | { ok: false; error: string } {
  if (url.pathname !== RUNNER_CONNECT_PATH)
    return { ok: false, error: `not ${RUNNER_CONNECT_PATH}` }
  const version = url.searchParams.get("protocol_version")
  const namespace = url.searchParams.get("namespace")
  const runnerKey = url.searchParams.get("runner_key")
  if (version === null || !/^[1-9]\d*$/.test(version)) {
    return { ok: false, error: "protocol_version must be a positive integer" }
  }
  if (namespace === null || namespace === "") return { ok: false, error: "namespace is required" }
  if (runnerKey === null || runnerKey === "") return { ok: false, error: "runner_key is required" }
  return { ok: true, params: { protocolVersion: Number(version), namespace, runnerKey } }
}

/** The subprotocols a runner offers: `rivet`, and `rivet_token.<token>` when it has a token. */
export function runnerSubprotocols(token: string | undefined): string[] {
  return token === undefined
    ? [RIVET_SUBPROTOCOL]
    : [RIVET_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`]
}

/** The token among offered subprotocols (the `rivet_token.` prefix stripped), if any. */
export function tokenFromSubprotocols(offered: Iterable<string>): string | undefined {
  for (const protocol of offered) {
    if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
      return protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length)
  }
  return undefined
}
