// #14 item 1: a URL that does not percent-decode is the client's error (400), on every route, and
// never ends the gateway process.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  CHILD_START_TIMEOUT_MS,
  type ChildGateway,
  createActor,
  startChildGateway,
  watchTap,
} from "./support/child-gateway.js"
import { httpRequest, rawRequest, upgradeRequest } from "./support/raw-http.js"

const MALFORMED = "%E0%A4%A"

describe("hostile clients: malformed URLs", () => {
  let gateway: ChildGateway
  let port: number
  let host: string
  beforeAll(async () => {
    gateway = await startChildGateway()
    const url = new URL(gateway.url)
    port = Number(url.port)
    host = url.host
  }, CHILD_START_TIMEOUT_MS)
  afterAll(() => gateway.stop())

  it("get 400 on upgrade and HTTP, and the gateway process keeps serving", async () => {
    const tap = await watchTap(gateway.url)
    const actorId = await createActor(gateway.url, "bystander")
    const answers = [
      await rawRequest(port, upgradeRequest(`/gateway/${MALFORMED}/x`, host)),
      await rawRequest(port, httpRequest("GET", `/gateway/${MALFORMED}/x`, host)),
      await rawRequest(port, httpRequest("GET", `/actors/${MALFORMED}`, host)),
      await rawRequest(port, httpRequest("POST", `/actors/${MALFORMED}/wake`, host)),
    ]
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400])

    expect(gateway.exit).toBeNull()
    const health = await fetch(`${gateway.url}/health`)
    expect(health.status).toBe(200)
    const actor = await fetch(`${gateway.url}/actors/${actorId}`)
    expect(actor.status).toBe(200)
    // A refused request is the client's mistake, not a gateway failure: nothing to report.
    expect(tap.faults()).toEqual([])
    tap.close()
  })

  it("answer an actor id that decodes but names no actor with 404", async () => {
    const unknown = encodeURIComponent("nö actor")
    const answers = [
      await rawRequest(port, upgradeRequest(`/gateway/${unknown}/x`, host)),
      await rawRequest(port, httpRequest("GET", `/gateway/${unknown}/x`, host)),
    ]
    expect(answers.map((answer) => answer.status)).toEqual([404, 404])
    expect(gateway.exit).toBeNull()
  })
})
