// Serverless endpoints that answer badly: no init event, an init that is not base64, a packet of a
// version nobody speaks, a 500 (one with a body that never ends), no answer at all, the wrong content type, an endless line, a
// stream that ends at once. Each gets a typed error the admin API and the tap report, within the
// start timeout, and the gateway keeps serving: the next request and an actor's HTTP request work.
import { afterEach, describe, expect, it } from "vitest"
import {
  type Gateway,
  type ServerlessErrorKind,
  type ServerlessRequestInfo,
  startGateway,
} from "../../src/index.js"
import { eventually } from "../support/client.js"
import { type EndpointMode, ServerlessEndpoint } from "../support/serverless-endpoint.js"

const START_TIMEOUT_MS = 500

let gateway: Gateway | undefined
let endpoint: ServerlessEndpoint | undefined

afterEach(async () => {
  await gateway?.stop()
  await endpoint?.close()
  gateway = undefined
  endpoint = undefined
})

const CASES: ReadonlyArray<{
  mode: EndpointMode
  kind: ServerlessErrorKind
  says: RegExp
}> = [
  { mode: "noInit", kind: "initTimeout", says: /no init event within 500 ms/ },
  { mode: "garbageBase64", kind: "invalidPayload", says: /not base64.*!!not\*base64!!/ },
  { mode: "unknownVersion", kind: "invalidPayload", says: /VersionError.*99/ },
  { mode: "status500", kind: "httpStatus", says: /status 500: the endpoint is broken/ },
  { mode: "status500Endless", kind: "httpStatus", says: /^.*status 500: B{512}$/ },
  { mode: "silent", kind: "initTimeout", says: /no init event within 500 ms/ },
  { mode: "notEventStream", kind: "contentType", says: /application\/json/ },
  { mode: "endlessLine", kind: "invalidStream", says: /line exceeds 65536/ },
  { mode: "endsEarly", kind: "streamEndedEarly", says: /ended the request/ },
]

describe.each(CASES)("a serverless endpoint in mode $mode", ({ mode, kind, says }) => {
  it(`fails the request with ${kind}, reported, and the gateway keeps serving`, async () => {
    endpoint = await ServerlessEndpoint.start(7)
    endpoint.mode = mode
    gateway = await startGateway({
      serverless: [{ runnerName: "sls", url: endpoint.url, startTimeoutMs: START_TIMEOUT_MS }],
      actorStartTimeoutMs: 1_000,
    })
    const faults: string[] = []
    gateway.tap.subscribe((event) => {
      if (event.type === "fault") faults.push(event.message)
    })

    // Demand starts the request: an HTTP request to an actor only this runner may host.
    const actor = gateway.createActor({ name: "echo", runnerName: "sls" })
    const refused = await fetch(`${gateway.url}/gateway/${actor.actorId}/`)
    expect(refused.status).toBeGreaterThanOrEqual(500)
    await eventually(() => gateway!.serverlessRequests()[0]?.state === "ended")

    const [failed] = gateway.serverlessRequests() as [ServerlessRequestInfo]
    expect(failed.error?.kind).toBe(kind)
    expect(failed.error?.message).toMatch(says)
    expect(failed.runnerId).toBeNull()
    const listed = (await (await fetch(`${gateway.url}/serverless`)).json()) as {
      requests: ServerlessRequestInfo[]
    }
    expect(listed.requests[0]!.error).toEqual(failed.error)
    expect(faults.filter((fault) => fault.includes(kind))).toHaveLength(1)
    // The gateway ended the request; the endpoint saw it go.
    await eventually(() => endpoint!.calls[0]!.endedAt !== null)

    // Still serving: a working endpoint now gets the actor a runner.
    endpoint.mode = "runner"
    const served = await fetch(`${gateway.url}/gateway/${actor.actorId}/again`)
    expect(await served.text()).toBe("GET /again ")
    expect(gateway.serverlessRequests()[0]).toMatchObject({ state: "running", error: null })
  })
})
