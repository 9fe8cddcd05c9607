import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { WebSocketServer } from "ws"
import type { TapEvent } from "../tap/tap-event.js"
import { hostAllowed } from "./allowed-host.js"
import { SessionReplay } from "./session-replay.js"
import { serveStaticFile } from "./static-files.js"
import { TapRelay, type TapSource } from "./tap-relay.js"

/** Events to show instead of a gateway's: a session file's. */
export interface RecordedSession {
  /** Shown as the page's source, e.g. the file name. */
  readonly name: string
  readonly events: readonly TapEvent[]
}

export type InspectorUiOptions = (
  | {
      /** Base URL of the gateway mock whose tap the page shows, e.g. `http://127.0.0.1:6420`. */
      readonly gatewayUrl: string
      /** The gateway's token, if it was started with one. */
      readonly token?: string
    }
  | { readonly session: RecordedSession }
) & {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number
  /** Address to bind; default 127.0.0.1. */
  readonly host?: string
  /**
   * Host names the page may be reached by besides localhost, 127.0.0.0/8 and [::1]: every other
   * `Host` is refused with 403 (a DNS-rebinding page names its own host).
   */
  readonly allowedHosts?: readonly string[]
}

export interface InspectorUi {
  /** Where to point a browser: `http://127.0.0.1:<port>/`. */
  readonly url: string
  close(): Promise<void>
}

/**
 * Serves the inspector page and relays the gateway's tap to it. The page talks only to this
 * server (same origin): the gateway needs no CORS or origin rules, its token stays out of the
 * browser, and the relay keeps the timeline across page reloads and gateway restarts.
 */
export async function startInspectorUi(options: InspectorUiOptions): Promise<InspectorUi> {
  const relay: TapSource =
    "session" in options
      ? new SessionReplay(options.session.name, options.session.events)
      : new TapRelay(
          options.gatewayUrl,
          options.token === undefined ? {} : { token: options.token },
        )
  const extraHosts = options.allowedHosts ?? []
  const sockets = new WebSocketServer({ noServer: true })
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://inspector")
    if (!hostAllowed(req, extraHosts)) {
      res.writeHead(403, { "content-type": "text/plain" }).end(HOST_REFUSED)
      return
    }
    if (req.method !== "GET") {
      res.writeHead(405).end()
      return
    }
    serveStaticFile(pathname, res).then(
      (served) => {
        if (!served) res.writeHead(404, { "content-type": "text/plain" }).end("not found\n")
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    )
  })
  server.on("upgrade", (req, socket, head) => {
    const { pathname } = new URL(req.url ?? "/", "http://inspector")
    if (pathname !== "/tap" || !hostAllowed(req, extraHosts) || !sameOrigin(req)) {
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n")
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = relay.subscribe((message) => ws.send(JSON.stringify(message)))
      ws.on("close", unsubscribe)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve())
  })
  relay.start()
  const { address, port } = server.address() as AddressInfo
  const host = address.includes(":") ? `[${address}]` : address
  return {
    url: `http://${host}:${port}/`,
    close: async () => {
      await relay.close()
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const HOST_REFUSED =
  "this inspector answers only to localhost, 127.0.0.1 and [::1] (see --allow-host)\n"

/**
 * A web page on another site must not read the tap through a visitor's browser: only the
 * inspector's own page (or a client that sends no Origin, like a script) may subscribe.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}
