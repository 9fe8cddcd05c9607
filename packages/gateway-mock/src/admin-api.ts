import type { IncomingMessage, ServerResponse } from "node:http"
import type { Actor } from "./actors/actor.js"
import { DuplicateActorError } from "./actors/actor-registry.js"
import type { GatewayCore } from "./gateway-core.js"
import { BadRequestError, optionalString, readJsonObject, sendJson } from "./http-json.js"
import { percentDecoded } from "./percent-decoded.js"
import type { RunnerConnection } from "./runners/runner-connection.js"
import { handleServerlessAdmin } from "./serverless-admin.js"

export interface ActorInfo {
  readonly actorId: string
  readonly name: string
  readonly key: string | null
  readonly namespace: string
  readonly runnerName: string | null
  readonly state: Actor["state"]
  readonly rest: Actor["rest"]
  readonly generation: number
  readonly runnerId: string | null
  readonly sockets: number
  readonly hibernatingSockets: number
}

export interface RunnerInfo {
  readonly runnerId: string
  readonly runnerKey: string
  readonly namespace: string
  readonly name: string | null
  readonly version: number
  readonly state: RunnerConnection["state"]
  readonly totalSlots: number
  readonly actorIds: string[]
  /** The serverless request that started this runner, once its init event named it. */
  readonly serverlessRequestId: string | null
}

export function actorInfo(actor: Actor): ActorInfo {
  const sockets = [...actor.sockets]
  return {
    actorId: actor.id,
    name: actor.spec.name,
    key: actor.spec.key,
    namespace: actor.spec.namespace,
    runnerName: actor.spec.runnerName,
    state: actor.state,
    rest: actor.rest,
    generation: actor.generation,
    runnerId: actor.runner?.runnerId ?? null,
    sockets: sockets.length,
    hibernatingSockets: sockets.filter((socket) => socket.hibernating).length,
  }
}

export function runnerInfo(core: GatewayCore, connection: RunnerConnection): RunnerInfo {
  return {
    runnerId: connection.runnerId,
    runnerKey: connection.params.runnerKey,
    namespace: connection.params.namespace,
    name: connection.name,
    version: connection.version,
    state: connection.state,
    totalSlots: connection.totalSlots,
    actorIds: [...connection.actorIds],
    serverlessRequestId: core.serverless.requestOfRunner(connection.runnerId)?.id ?? null,
  }
}

/**
 * The admin HTTP API (JSON):
 * - `POST /actors` `{name, key?, namespace?, runnerName?, input?}` creates an actor (input base64)
 * - `GET /actors?name=&key=&namespace=` lists, `GET /actors/{id}` shows one
 * - `DELETE /actors/{id}`, or `DELETE /actors?name=&key=`, destroys
 * - `POST /actors/{id}/sleep` and `POST /actors/{id}/wake`
 * - `GET /runners` lists connected runners
 * - `POST /runners/{id}/close` sends a runner away for good (the engine's `ToRunnerClose`)
 * - `/serverless…`: serverless runners (`serverless-admin.ts`)
 * Returns false when the path is not an admin path.
 */
export async function handleAdmin(
  core: GatewayCore,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const parts = url.pathname.split("/").filter((part) => part !== "")
  const method = req.method ?? "GET"
  if (parts[0] === "runners" && parts.length === 1 && method === "GET") {
    sendJson(res, 200, { runners: core.runners.all().map((c) => runnerInfo(core, c)) })
    return true
  }
  if (parts[0] === "runners" && parts.length === 3 && parts[2] === "close" && method === "POST") {
    closeRunner(core, res, parts[1]!)
    return true
  }
  if (parts[0] !== "actors" && parts[0] !== "serverless") return false
  try {
    if (parts[0] === "serverless") await handleServerlessAdmin(core, req, res, url, parts, method)
    else if (parts.length === 1) await actorsCollection(core, req, res, url, method)
    else await oneActor(core, res, parts, method)
  } catch (error) {
    if (error instanceof BadRequestError) sendJson(res, error.status, { error: error.message })
    else if (error instanceof DuplicateActorError) sendJson(res, 409, { error: error.message })
    else throw error
  }
  return true
}

async function actorsCollection(
  core: GatewayCore,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
): Promise<void> {
  const filter = {
    ...optionalParam(url, "namespace"),
    ...optionalParam(url, "name"),
    ...optionalParam(url, "key"),
  }
  switch (method) {
    case "GET":
      return sendJson(res, 200, { actors: core.actors.list(filter).map(actorInfo) })
    case "POST": {
      const body = await readJsonObject(req)
      const name = optionalString(body, "name")
      if (name === null || name === "") throw new BadRequestError("name is required")
      const input = optionalString(body, "input")
      const actor = core.actors.create({
        name,
        key: optionalString(body, "key"),
        namespace: optionalString(body, "namespace") ?? "default",
        runnerName: optionalString(body, "runnerName"),
        input: input === null ? null : new Uint8Array(Buffer.from(input, "base64")).buffer,
      })
      return sendJson(res, 201, { actor: actorInfo(actor) })
    }
    case "DELETE": {
      if (filter.name === undefined) throw new BadRequestError("name is required to destroy")
      const actors = core.actors.list(filter)
      for (const actor of actors) core.actors.destroy(actor)
      return sendJson(res, 200, { destroyed: actors.map(actorInfo) })
    }
    default:
      return sendJson(res, 405, { error: `${method} is not allowed on /actors` })
  }
}

async function oneActor(
  core: GatewayCore,
  res: ServerResponse,
  parts: string[],
  method: string,
): Promise<void> {
  const actorId = percentDecoded(parts[1]!)
  if (actorId === null) throw new BadRequestError("the actor id is not valid percent-encoding")
  const actor = core.actors.get(actorId)
  if (actor === undefined) return sendJson(res, 404, { error: `no actor ${parts[1]}` })
  const action = parts.length === 3 ? parts[2] : parts.length === 2 ? "" : undefined
  if (action === "" && method === "GET") return sendJson(res, 200, { actor: actorInfo(actor) })
  if (action === "" && method === "DELETE") {
    core.actors.destroy(actor)
    return sendJson(res, 200, { actor: actorInfo(actor) })
  }
  if (action === "sleep" && method === "POST") {
    actor.sleep()
    return sendJson(res, 202, { actor: actorInfo(actor) })
  }
  if (action === "wake" && method === "POST") {
    actor.wake()
    return sendJson(res, 202, { actor: actorInfo(actor) })
  }
  sendJson(res, 404, { error: `no ${method} /actors/{id}/${action ?? "…"}` })
}

function closeRunner(core: GatewayCore, res: ServerResponse, encodedId: string): void {
  const runnerId = percentDecoded(encodedId)
  const connection = runnerId === null ? undefined : core.runnerById(runnerId)
  if (connection === undefined || connection.name === null) {
    sendJson(res, 404, { error: `no runner ${encodedId}` })
    return
  }
  const info = runnerInfo(core, connection)
  core.closeRunner(connection)
  sendJson(res, 202, { runner: info })
}

function optionalParam<K extends string>(url: URL, name: K): Partial<Record<K, string>> {
  const value = url.searchParams.get(name)
  return value === null ? {} : ({ [name]: value } as Record<K, string>)
}
