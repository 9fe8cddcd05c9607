// #14 item 1, at scale: 10,000 random paths, query strings, methods, header names and values, over
// HTTP and WebSocket upgrades, against a gateway in its own process. Every request gets a sane
// answer, and afterwards the process is alive and serving. FUZZ_SEED replays a run.
import { LATEST_VERSION } from "@tunnelwire/protocol/pinned/v3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { gatewaySocketUrl, TestClient } from "../support/client.js"
import { RawRunner } from "../support/raw-runner.js"
import {
  CHILD_START_TIMEOUT_MS,
  type ChildGateway,
  createActor,
  startChildGateway,
} from "./support/child-gateway.js"
import { fuzzedRequest, seededRandom } from "./support/fuzz-requests.js"
import { rawRequest } from "./support/raw-http.js"

const REQUESTS = 10_000
const CONCURRENCY = 32
const SEED = Number(process.env.FUZZ_SEED ?? 14)
/** About 10 s of CPU across both processes; the wall time is whatever share a busy machine gives. */
const FUZZ_TIMEOUT_MS = 240_000

/** A refusal (4xx), a success, or an accepted upgrade; a 5xx or no answer means a gateway bug. */
const isSane = (status: number | null) =>
  status !== null && (status === 101 || (status >= 200 && status < 500))

describe("hostile clients: fuzzed requests", () => {
  let gateway: ChildGateway
  let runner: RawRunner
  beforeAll(async () => {
    gateway = await startChildGateway()
    runner = await new RawRunner({
      url: gateway.url,
      version: LATEST_VERSION,
      name: "fuzz",
    }).start()
  }, CHILD_START_TIMEOUT_MS)
  afterAll(async () => {
    runner.kill()
    await gateway.stop()
  })

  it(
    `${REQUESTS} random requests all get a sane status and the gateway process keeps serving`,
    async () => {
      const actorId = await createActor(gateway.url, "fuzz")
      const url = new URL(gateway.url)
      const random = seededRandom(SEED)
      const requests = Array.from({ length: REQUESTS }, () =>
        fuzzedRequest(random, actorId, url.host),
      )
      const insane: string[] = []
      const statuses = new Map<string, number>()
      let next = 0
      const worker = async () => {
        while (next < requests.length && gateway.exit === null) {
          const request = requests[next++]!
          const answer = await rawRequest(Number(url.port), request.bytes)
          const label = `${request.upgrade ? "upgrade" : "http"} ${answer.status}`
          statuses.set(label, (statuses.get(label) ?? 0) + 1)
          if (!isSane(answer.status))
            insane.push(
              `${answer.timedOut ? "no answer" : answer.head} ← ${JSON.stringify(request.bytes.toString("latin1"))}`,
            )
        }
      }
      await Promise.all(Array.from({ length: CONCURRENCY }, worker))

      expect(gateway.exit, gateway.stderr.join("")).toBeNull()
      expect(next).toBe(REQUESTS)
      expect(insane.slice(0, 12), `seed ${SEED}: ${insane.length} insane answers`).toEqual([])
      // The mix reached past the parser: upgrades were accepted, refused and answered over HTTP.
      for (const label of [
        "upgrade 101",
        "upgrade 400",
        "upgrade 404",
        "http 200",
        "http 400",
        "http 404",
      ])
        expect(statuses.get(label) ?? 0, label).toBeGreaterThan(0)

      expect((await fetch(`${gateway.url}/health`)).status).toBe(200)
      const fresh = await createActor(gateway.url, "fuzz")
      const response = await fetch(`${gateway.url}/gateway/${fresh}/after`)
      expect(await response.text()).toBe("GET /after whole ")
      const client = new TestClient(gatewaySocketUrl(gateway.url, fresh))
      await client.opened
      client.send("after the fuzz")
      await client.until(() => client.messages.includes("after the fuzz"))
      client.ws.close()
      expect(gateway.stderr.join("")).toBe("")
    },
    FUZZ_TIMEOUT_MS,
  )
})
