import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import type { Duplex } from "node:stream"
import { GatewayClose, RIVET_SUBPROTOCOL, RUNNER_CONNECT_PATH } from "@tunnelwire/protocol"
import { type WebSocket, WebSocketServer } from "ws"
import type { Actor } from "./actors/actor.js"
import { type ActorFilter, DuplicateActorError } from "./actors/actor-registry.js"
import { type ActorInfo, actorInfo, handleAdmin, type RunnerInfo, runnerInfo } from "./admin-api.js"
import { isAdminHost } from "./admin-host.js"
import { clientRoute, requestUrl } from "./client-route.js"
import { GatewayCore } from "./gateway-core.js"
import { sendJson } from "./http-json.js"
import { type GatewayOptions, resolveOptions } from "./options.js"
import { RunnerConnection } from "./runners/runner-connection.js"
import { checkRunnerUpgrade, sameSecret } from "./runners/runner-upgrade.js"
import type { ServerlessRunnerConfig } from "./serverless/serverless-config.js"
import { type ServerlessRequestInfo, serverlessRequestInfo } from "./serverless/serverless-info.js"
import type { Tap } from "./tap/tap.js"
import { serveTap } from "./tap/tap-endpoint.js"
import { ClientSocket } from "./tunnel/client-socket.js"
import { HttpExchange } from "./tunnel/http-exchange.js"
import { headerMap } from "./tunnel/tunnel-host.js"
import { guardUpgrade, refuseUpgrade } from "./upgrade-guard.js"

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
  /**
   * Sends a runner away for good, as the engine's `ToRunnerClose`: v1–v3 get `ToClientClose` and
   * the eviction close, v4+ the engine's eviction close with a ray id. Throws when no such runner is
   * connected.
   */
  closeRunner(runnerId: string): void
  /** Adds (or replaces) a serverless runner config; throws `RangeError` on a bad one. */
  registerServerless(config: ServerlessRunnerConfig): void
  /** Starts a serverless request now (`GET <url>/start`). */
  startServerless(runnerName: string, namespace?: string): ServerlessRequestInfo
  /** Drains a serverless request's runner, then closes it after the drain grace period. */
  drainServerless(requestId: string): ServerlessRequestInfo
  /** Live serverless requests, then the last 100 ended ones. */
  serverlessRequests(): ServerlessRequestInfo[]
  /** Closes every socket and the server; afterwards nothing of the gateway keeps the process up. */
  stop(): Promise<void>
}

const TAP_PATH = "/tap"

export { DuplicateActorError }

/** Starts a gateway on `options.port` (0: any free port) and resolves once it listens. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const resolved = resolveOptions(options)
  const core = new GatewayCore(resolved)
  const exchanges = new Set<HttpExchange>()
  // One server per kind of peer, because the frame size limit is per server.
  const runnerWss = new WebSocketServer({
    noServer: true,
    maxPayload: resolved.maxRunnerFrameBytes,
    handleProtocols: (offered) => offered.has(RIVET_SUBPROTOCOL) && RIVET_SUBPROTOCOL,
  })
  const clientWss = new WebSocketServer({
    noServer: true,
    maxPayload: resolved.maxClientMessageBytes,
    handleProtocols: (offered) => {
      const [first] = offered
      return first ?? false
    },
  })
  const servers = [runnerWss, clientWss]
  /** Sockets past their 101: an error on them can no longer be answered with a status. */
  const upgraded = new WeakSet<Duplex>()
  const accept = (
    wss: WebSocketServer,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    onSocket: (ws: WebSocket) => void,
  ) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded.add(socket)
      onSocket(ws)
    })

  // Outside onUpgrade on purpose: a listener made there would keep that call's scope, with the
  // upgrade request, its headers and URL, alive for as long as the socket is open (~1 KiB each).
  const openClientSocket = (
    actor: Actor,
    ws: WebSocket,
    socket: Duplex,
    path: string,
    headers: Map<string, string>,
  ) => {
    // Found again through the gateway's live requests (a socket leaves them when it closes), so
    // nothing more is kept per socket here.
    void new ClientSocket(core, actor, ws, socket, path, headers).start()
  }

  const fault = (message: string) =>
    core.tap.emit(() => ({ type: "fault", message, runnerId: null, requestId: null }))

  const authorized = (req: IncomingMessage, url: URL) => {
    if (resolved.token === undefined) return true
    const bearer =
      req.headers.authorization?.replace(/^Bearer /, "") ?? url.searchParams.get("token")
    return bearer !== null && sameSecret(bearer, resolved.token)
  }

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req.url)
    if (url === null) return sendJson(res, 400, { error: "the request target is not a URL" })
    const route = clientRoute(url)
    if (route?.ok === false) return sendJson(res, 400, { error: route.error })
    if (route !== null) {
      const actor = core.actors.get(route.actorId)
      if (actor === undefined) return sendJson(res, 404, { error: `no actor ${route.actorId}` })
      const exchange = new HttpExchange(core, actor, req, res, route.path)
      exchanges.add(exchange)
      res.on("close", () => exchanges.delete(exchange))
      return exchange.run()
    }
    if (url.pathname === "/health") return sendJson(res, 200, { ok: true })
    if (!isAdminHost(req.headers.host, resolved.allowedHosts))
      return sendJson(res, 403, { error: "this Host is not allowed to use the admin API" })
    if (!authorized(req, url)) return sendJson(res, 401, { error: "admin token required" })
    if (!(await handleAdmin(core, req, res, url))) sendJson(res, 404, { error: "not found" })
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req.url)
    if (url === null) return refuseUpgrade(socket, 400, "the request target is not a URL")
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
      accept(runnerWss, req, socket, head, (ws) => {
        core.connectionOpened(new RunnerConnection(ws, socket, verdict.params, core))
      })
      return
    }
    const route = clientRoute(url)
    if (route?.ok === false) return refuseUpgrade(socket, 400, route.error)
    if (route !== null) {
      const actor = core.actors.get(route.actorId)
      if (actor === undefined) return refuseUpgrade(socket, 404, `no actor ${route.actorId}`)
      const headers = headerMap(req.headers)
      accept(clientWss, req, socket, head, (ws) =>
        openClientSocket(actor, ws, socket, route.path, headers),
      )
      return
    }
    if (url.pathname === TAP_PATH) {
      if (!isAdminHost(req.headers.host, resolved.allowedHosts))
        return refuseUpgrade(socket, 403, "this Host is not allowed to use the tap")
      if (!authorized(req, url)) return refuseUpgrade(socket, 401, "admin token required")
      accept(clientWss, req, socket, head, (ws) => {
        serveTap(core.tap, ws, url.searchParams.get("history") === "1")
      })
      return
    }
    refuseUpgrade(socket, 404, "not found")
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      fault(`${req.method} ${req.url} failed: ${String(error)}`)
      if (!res.headersSent) sendJson(res, 500, { error: String(error) })
      else res.destroy()
    })
  })
  server.on(
    "upgrade",
    guardUpgrade(onUpgrade, fault, (socket) => upgraded.has(socket)),
  )
  // Unanswered, Node would drop a CONNECT without a word; a tunnel to anywhere is not offered.
  server.on("connect", (_req: IncomingMessage, socket: Duplex) => {
    socket.on("error", () => socket.destroy())
    refuseUpgrade(socket, 405, "CONNECT is not supported")
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(resolved.port, resolved.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${resolved.host}:${port}`
  core.endpoint = url

  const actorOrThrow = (actorId: string) => {
    const actor = core.actors.get(actorId)
    if (actor === undefined) throw new Error(`no actor ${actorId}`)
    return actor
  }

  return {
    url,
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
    runners: () => core.runners.all().map((connection) => runnerInfo(core, connection)),
    closeRunner: (runnerId) => {
      const connection = core.runnerById(runnerId)
      if (connection === undefined) throw new Error(`no runner ${runnerId}`)
      core.closeRunner(connection)
    },
    registerServerless: (config) => {
      core.serverless.register(config)
    },
    startServerless: (runnerName, namespace = "default") =>
      serverlessRequestInfo(core.serverless.start(namespace, runnerName)),
    drainServerless: (requestId) => {
      const request = core.serverless.request(requestId)
      if (request === undefined) throw new Error(`no serverless request ${requestId}`)
      request.drain()
      return serverlessRequestInfo(request)
    },
    serverlessRequests: () => core.serverless.requests().map(serverlessRequestInfo),
    stop: async () => {
      core.dispose()
      for (const exchange of exchanges) exchange.shutdown()
      for (const request of [...core.requests.values()])
        if (request instanceof ClientSocket) request.shutdown()
      for (const connection of core.connections()) connection.close(GatewayClose.shutdown)
      const sockets = () => servers.flatMap((wss) => [...wss.clients])
      for (const ws of sockets()) ws.close(GatewayClose.shutdown.code, GatewayClose.shutdown.reason)
      await waitUntil(() => sockets().length === 0, 500)
      for (const ws of sockets()) ws.terminate()
      for (const wss of servers) wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
}
