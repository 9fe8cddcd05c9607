import type { IncomingMessage, ServerResponse } from "node:http"
import type { GatewayCore } from "./gateway-core.js"
import { BadRequestError, readJsonObject, sendJson } from "./http-json.js"
import { percentDecoded } from "./percent-decoded.js"
import type { ServerlessRunnerConfig } from "./serverless/serverless-config.js"
import { serverlessRequestInfo } from "./serverless/serverless-info.js"

/**
 * The admin API's serverless part (`parts` is the path split at `/`, starting with `serverless`):
 * - `GET /serverless`: the configs and the requests (live, then the last 100 ended)
 * - `POST /serverless` `{runnerName, url, namespace?, headers?, slotsPerRunner?,
 *   requestLifespanMs?, drainGracePeriodMs?, maxRunners?, startTimeoutMs?}` adds or replaces a config
 * - `POST /serverless/{runnerName}/start?namespace=` starts a request now
 * - `POST /serverless/requests/{requestId}/drain` drains its runner, then closes it
 */
export async function handleServerlessAdmin(
  core: GatewayCore,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  parts: string[],
  method: string,
): Promise<void> {
  const pool = core.serverless
  if (parts.length === 1 && method === "GET") {
    return sendJson(res, 200, {
      configs: pool.configs(),
      requests: pool.requests().map(serverlessRequestInfo),
    })
  }
  if (parts.length === 1 && method === "POST") {
    const body = await readJsonObject(req)
    try {
      return sendJson(res, 201, {
        config: pool.register(body as unknown as ServerlessRunnerConfig),
      })
    } catch (error) {
      if (error instanceof RangeError) throw new BadRequestError(error.message)
      throw error
    }
  }
  const name = parts[1] === undefined ? null : percentDecoded(parts[1])
  if (name === null) throw new BadRequestError("the path is not valid percent-encoding")
  if (parts.length === 3 && parts[2] === "start" && method === "POST") {
    const namespace = url.searchParams.get("namespace") ?? "default"
    if (pool.config(namespace, name) === undefined)
      return sendJson(res, 404, { error: `no serverless runner ${name} in namespace ${namespace}` })
    return sendJson(res, 202, { request: serverlessRequestInfo(pool.start(namespace, name)) })
  }
  const requestId = parts[2] === undefined ? null : percentDecoded(parts[2])
  if (parts.length === 4 && name === "requests" && parts[3] === "drain" && method === "POST") {
    const request = requestId === null ? undefined : pool.request(requestId)
    if (request === undefined)
      return sendJson(res, 404, { error: `no serverless request ${parts[2]}` })
    request.drain()
    return sendJson(res, 202, { request: serverlessRequestInfo(request) })
  }
  sendJson(res, 404, { error: `no ${method} ${url.pathname}` })
}
