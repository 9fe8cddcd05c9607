// #14 item 3: a runner's response that HTTP/1.1 cannot carry becomes a 502 for the client and a
// fault on the tap, and the runner is told to stop; the gateway process survives it.
import { LATEST_VERSION } from "@tunnelwire/protocol/pinned/v3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RawHttpResponse, RawRunner } from "../support/raw-runner.js"
import {
  CHILD_START_TIMEOUT_MS,
  type ChildGateway,
  createActor,
  startChildGateway,
  watchTap,
} from "./support/child-gateway.js"

/** What the actor answers, by the path the client asked for. */
const RESPONSES: Record<string, RawHttpResponse> = {
  "/status-99": { status: 99, body: "x" },
  "/status-1000": { status: 1000, body: "x" },
  "/status-100": { status: 100, body: "x" },
  "/value-crlf": { status: 200, headers: { "x-a": "1\r\nset-cookie: evil=1" }, body: "x" },
  "/value-nul": { status: 200, headers: { "x-a": "1\u0000" }, body: "x" },
  "/value-non-latin1": { status: 200, headers: { "x-a": "€" }, body: "x" },
  "/name-space": { status: 200, headers: { "bad name": "1" }, body: "x" },
  "/name-colon": { status: 200, headers: { "x:y": "1" }, body: "x" },
  "/name-empty": { status: 200, headers: { "": "1" }, body: "x" },
  "/streamed-crlf": { status: 200, headers: { "x-a": "\n" }, chunks: ["a", "b"] },
}

describe("hostile runners: HTTP responses", () => {
  let gateway: ChildGateway
  let runner: RawRunner
  beforeAll(async () => {
    gateway = await startChildGateway()
    runner = await new RawRunner({
      url: gateway.url,
      version: LATEST_VERSION,
      name: "responder",
      http: (request) =>
        RESPONSES[request.path] ?? { status: 200, headers: { "x-ok": "yes" }, body: "fine" },
    }).start()
  }, CHILD_START_TIMEOUT_MS)
  afterAll(async () => {
    runner.kill()
    await gateway.stop()
  })

  it("a status or header HTTP cannot carry reaches the client as 502, with a fault, and the runner hears the abort", async () => {
    const tap = await watchTap(gateway.url)
    const actorId = await createActor(gateway.url, "responder")
    for (const path of Object.keys(RESPONSES)) {
      const response = await fetch(`${gateway.url}/gateway/${actorId}${path}`)
      expect({ path, status: response.status }).toEqual({ path, status: 502 })
      expect(response.headers.get("set-cookie")).toBeNull()
      expect(((await response.json()) as { error: string }).error).toMatch(/cannot be sent/)
    }
    expect(gateway.exit).toBeNull()
    // Chunks the runner streamed before it heard the abort are reported as faults of their own.
    const faults = tap
      .faults()
      .map((fault) => fault.message)
      .filter((message) => message.includes("cannot be sent"))
    expect(faults).toHaveLength(Object.keys(RESPONSES).length)
    expect(faults[0]).toContain("status 99 is not a final HTTP status")
    expect(faults[3]).toContain('header "x-a"')
    const aborts = () => runner.tunnelKinds("ToClientRequestAbort").length
    await runner.until(() => aborts() === Object.keys(RESPONSES).length)

    const fine = await fetch(`${gateway.url}/gateway/${actorId}/fine`)
    expect(fine.status).toBe(200)
    expect(fine.headers.get("x-ok")).toBe("yes")
    expect(await fine.text()).toBe("fine")
    tap.close()
  })
})
