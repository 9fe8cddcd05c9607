// #14 item 2: an actor's close that no WebSocket close frame can carry becomes the gateway's own
// error close for the client and a fault on the tap; the gateway process survives it.
import { GatewayClose, LATEST_VERSION, withoutRayId } from "@tunnelwire/protocol/pinned/v3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { gatewaySocketUrl, TestClient } from "../support/client.js"
import { RawRunner } from "../support/raw-runner.js"
import {
  CHILD_START_TIMEOUT_MS,
  type ChildGateway,
  createActor,
  startChildGateway,
  watchTap,
} from "./support/child-gateway.js"

const UNSENDABLE: Array<[number | null, string | null]> = [
  [1005, null],
  [1006, "abnormal"],
  [1015, null],
  [999, null],
  [5000, "too high"],
  [1000, "x".repeat(124)],
  [4000, "é".repeat(62)],
]

describe("hostile runners: WebSocket closes", () => {
  let gateway: ChildGateway
  let runner: RawRunner
  beforeAll(async () => {
    gateway = await startChildGateway()
    runner = await new RawRunner({
      url: gateway.url,
      version: LATEST_VERSION,
      name: "closer",
    }).start()
  }, CHILD_START_TIMEOUT_MS)
  afterAll(async () => {
    runner.kill()
    await gateway.stop()
  })

  it("a code or reason a close frame cannot carry reaches the client as 1011 with a reason, and a fault", async () => {
    const tap = await watchTap(gateway.url)
    const actorId = await createActor(gateway.url, "closer")
    const clients: TestClient[] = []
    for (const [code, reason] of UNSENDABLE) {
      const client = new TestClient(gatewaySocketUrl(gateway.url, actorId))
      clients.push(client)
      await client.opened
      await runner.until(() => runner.sockets.size === 1)
      const [key] = runner.sockets.keys()
      runner.closeSocket(key!, code, reason)
      const closed = await client.closedPromise
      expect(closed.code).toBe(GatewayClose.invalidActorClose.code)
      expect(withoutRayId(closed.reason)).toBe(GatewayClose.invalidActorClose.reason)
    }
    expect(gateway.exit).toBeNull()
    const faults = tap.faults().map((fault) => fault.message)
    expect(faults).toHaveLength(UNSENDABLE.length)
    expect(faults[0]).toContain("close code 1005 cannot be sent")
    expect(faults[5]).toContain("close reason of 124 UTF-8 bytes exceeds 123")

    // A valid close still passes through untouched.
    const client = new TestClient(gatewaySocketUrl(gateway.url, actorId))
    await client.opened
    await runner.until(() => runner.sockets.size === 1)
    runner.closeSocket([...runner.sockets.keys()][0]!, 4000, "bye")
    expect(await client.closedPromise).toEqual({ code: 4000, reason: "bye" })
    tap.close()
  })
})
