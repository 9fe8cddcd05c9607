import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http"
import type { AddressInfo } from "node:net"
import type { Duplex } from "node:stream"
import {
  GatewayClose,
  RIVET_SUBPROTOCOL,
  RUNNER_CONNECT_PATH,
} from "@tunnelwire/protocol/pinned/v3"
import { WebSocketServer } from "ws"
import { type ActorFilter, DuplicateActorError } from "./actors/actor-registry.js"
import { type ActorInfo, actorInfo, handleAdmin, type RunnerInfo, runnerInfo } from "./admin-api.js"
import { GatewayCore } from "./gateway-core.js"
import { sendJson } from "./http-json.js"
import { type GatewayOptions, resolveOptions } from "./options.js"
import { RunnerConnection } from "./runners/runner-connection.js"
import { checkRunnerUpgrade, sameSecret } from "./runners/runner-upgrade.js"
import type { Tap } from "./tap/tap.js"
import { serveTap } from "./tap/tap-endpoint.js"
import { ClientSocket } from "./tunnel/client-socket.js"
import { HttpExchange } from "./tunnel/http-exchange.js"
import { headerMap } from "./tunnel/tunnel-host.js"

export interface ActorCreateSpec {
  readonly name: string
  readonly key?: string | null
  readonly namespace?: string
  readonly runnerName?: string | null
  readonly input?: ArrayBuffer | null
}

export interface Gateway {
  /** Base URL, such as `http://127.0.0.1:6420`: runners connect to it, clients use `/gateway/…`. */
  readonly url: string
  readonly port: number
  readonly tap: Tap
  createActor(spec: ActorCreateSpec): ActorInfo
  listActors(filter?: ActorFilter): ActorInfo[]
  getActor(actorId: string): ActorInfo | undefined
  destroyActor(actorId: string): void
  sleepActor(actorId: string): void
  wakeActor(actorId: string): void
  runners(): RunnerInfo[]
  /** Closes every socket and the server; afterwards nothing of the gateway keeps the process up. */
  stop(): Promise<void>
}

const GATEWAY_PREFIX = "/gateway/"
const TAP_PATH = "/tap"

export { DuplicateActorError }

/** Starts a gateway on `options.port` (0: any free port) and resolves once it listens. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const resolved = resolveOptions(options)
  const core = new GatewayCore(resolved)
  const clientSockets = new Set<ClientSocket>()
  const exchanges = new Set<HttpExchange>()
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered, req) => {
      if (pathOf(req) === RUNNER_CONNECT_PATH)
        return offered.has(RIVET_SUBPROTOCOL) && RIVET_SUBPROTOCOL
      const [first] = offered
      return first ?? false
    },
  })

  const authorized = (req: IncomingMessage, url: URL) => {
    if (resolved.token === undefined) return true
    const bearer =
      req.headers.authorization?.replace(/^Bearer /, "") ?? url.searchParams.get("token")
    return bearer !== null && sameSecret(bearer, resolved.token)
  }

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://gateway")
    const route = clientRoute(url)
    if (route !== null) {
      const actor = core.actors.get(route.actorId)
      if (actor === undefined) return sendJson(res, 404, { error: `no actor ${route.actorId}` })
      const exchange = new HttpExchange(core, actor, req, res, route.path)
      exchanges.add(exchange)
      res.on("close", () => exchanges.delete(exchange))
      return exchange.run()
    }
    if (url.pathname === "/health") return sendJson(res, 200, { ok: true })
    if (!authorized(req, url)) return sendJson(res, 401, { error: "admin token required" })
    if (!(await handleAdmin(core, req, res, url))) sendJson(res, 404, { error: "not found" })
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://gateway")
    if (url.pathname === RUNNER_CONNECT_PATH) {
      const verdict = checkRunnerUpgrade(req, url, resolved.token)
      if (!verdict.ok) {
        core.tap.emit(() => ({
          type: "runner",
          event: "rejected",
          runnerId: null,
          runnerKey: url.searchParams.get("runner_key") ?? "",
          runnerName: null,
          version: Number(url.searchParams.get("protocol_version")) || null,
          code: verdict.status,
          reason: verdict.error,
        }))
        return refuseUpgrade(socket, verdict.status, verdict.error)
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        core.connectionOpened(new RunnerConnection(ws, socket, verdict.params, core))
      })
      return
    }
    const route = clientRoute(url)
    if (route !== null) {
      const actor = core.actors.get(route.actorId)
      if (actor === undefined) return refuseUpgrade(socket, 404, `no actor ${route.actorId}`)
      wss.handleUpgrade(req, socket, head, (ws) => {
        const client = new ClientSocket(core, actor, ws, socket, route.path, headerMap(req.headers))
        clientSockets.add(client)
        ws.on("close", () => clientSockets.delete(client))
        void client.start()
      })
      return
    }
    if (url.pathname === TAP_PATH) {
      if (!authorized(req, url)) return refuseUpgrade(socket, 401, "admin token required")
      wss.handleUpgrade(req, socket, head, (ws) => {
        serveTap(core.tap, ws, url.searchParams.get("history") === "1")
      })
      return
    }
    refuseUpgrade(socket, 404, "not found")
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) })
      else res.destroy()
    })
  })
  server.on("upgrade", onUpgrade)
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(resolved.port, resolved.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  const actorOrThrow = (actorId: string) => {
    const actor = core.actors.get(actorId)
    if (actor === undefined) throw new Error(`no actor ${actorId}`)
    return actor
  }

  return {
    url: `http://${resolved.host}:${port}`,
    port,
    tap: core.tap,
    createActor: (spec) =>
      actorInfo(
        core.actors.create({
          name: spec.name,
          key: spec.key ?? null,
          namespace: spec.namespace ?? "default",
          runnerName: spec.runnerName ?? null,
          input: spec.input ?? null,
        }),
      ),
    listActors: (filter) => core.actors.list(filter).map(actorInfo),
    getActor: (actorId) => {
      const actor = core.actors.get(actorId)
      return actor === undefined ? undefined : actorInfo(actor)
    },
    destroyActor: (actorId) => core.actors.destroy(actorOrThrow(actorId)),
    sleepActor: (actorId) => actorOrThrow(actorId).sleep(),
    wakeActor: (actorId) => actorOrThrow(actorId).wake(),
    runners: () => core.runners.all().map(runnerInfo),
    stop: async () => {
      core.dispose()
      for (const exchange of exchanges) exchange.shutdown()
      for (const client of clientSockets) client.shutdown()
      for (const connection of core.connections()) connection.close(GatewayClose.shutdown)
      for (const ws of wss.clients)
        ws.close(GatewayClose.shutdown.code, GatewayClose.shutdown.reason)
      await waitUntil(() => wss.clients.size === 0, 500)
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** `/gateway/{actorId}/rest?query` → the actor and the path the actor sees (`/rest?query`). */
function clientRoute(url: URL): { actorId: string; path: string } | null {
  if (!url.pathname.startsWith(GATEWAY_PREFIX)) return null
  const rest = url.pathname.slice(GATEWAY_PREFIX.length)
  const slash = rest.indexOf("/")
  const rawId = slash === -1 ? rest : rest.slice(0, slash)
  if (rawId === "") return null
  const path = (slash === -1 ? "/" : rest.slice(slash)) + url.search
  return { actorId: decodeURIComponent(rawId), path }
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? "/", "http://gateway").pathname
}

/** Answers an upgrade request with a plain HTTP error: the socket never becomes a WebSocket. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  )
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
}
