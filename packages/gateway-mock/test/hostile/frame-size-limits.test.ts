// #14 item 10: what a peer sends is bounded. A client message or runner frame over its limit
// closes that one socket with 1009 before the gateway holds it, and everything else carries on.
import { CloseCode, LATEST_VERSION } from "@tunnelwire/protocol/pinned/v3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startGateway } from "../../src/index.js"
import { gatewaySocketUrl, TestClient } from "../support/client.js"
import { RawRunner } from "../support/raw-runner.js"
import {
  CHILD_START_TIMEOUT_MS,
  type ChildGateway,
  createActor,
  startChildGateway,
} from "./support/child-gateway.js"

const MiB = 1024 * 1024

describe("hostile peers: frame sizes", () => {
  let gateway: ChildGateway
  let runner: RawRunner
  let actorId: string
  beforeAll(async () => {
    gateway = await startChildGateway()
    runner = await new RawRunner({
      url: gateway.url,
      version: LATEST_VERSION,
      name: "echo",
    }).start()
    actorId = await createActor(gateway.url, "echo")
  }, CHILD_START_TIMEOUT_MS)
  afterAll(async () => {
    runner.kill()
    await gateway.stop()
  })

  /** A client of the echo actor, shown to work. */
  async function echoingClient(): Promise<TestClient> {
    const client = new TestClient(gatewaySocketUrl(gateway.url, actorId))
    await client.opened
    client.send("ping")
    await client.until(() => client.messages.includes("ping"))
    return client
  }

  it("a 64 MiB client message is refused with 1009 and the gateway keeps serving", async () => {
    const bystander = await echoingClient()
    const hostile = await echoingClient()
    hostile.ws.send(Buffer.alloc(64 * MiB, 0x61))
    expect((await hostile.closedPromise).code).toBe(CloseCode.messageTooBig)

    expect(gateway.exit).toBeNull()
    bystander.send("still here")
    await bystander.until(() => bystander.messages.includes("still here"))
    expect(bystander.closed).toBeNull()
    bystander.ws.close()
  })

  it("a client message at the 1 MiB default limit still goes through", async () => {
    const client = await echoingClient()
    client.send("a".repeat(MiB))
    await client.until(() => client.messages.some((message) => message.length === MiB))
    client.ws.close()
  })

  it("a runner frame over 32 MiB closes that runner's connection with 1009, not the gateway", async () => {
    const hostile = await new RawRunner({ url: gateway.url, version: LATEST_VERSION }).start()
    const closed = new Promise<number>((resolve) => hostile.ws.once("close", resolve))
    hostile.ws.send(Buffer.alloc(33 * MiB))
    expect(await closed).toBe(CloseCode.messageTooBig)

    expect(gateway.exit).toBeNull()
    const client = await echoingClient()
    client.ws.close()
  })

  it("a runner limit that leaves no room for a client message in a tunnel frame is refused", async () => {
    const options = { port: 0, maxClientMessageBytes: 4 * MiB, maxRunnerFrameBytes: 4 * MiB }
    await expect(startGateway(options)).rejects.toThrow(RangeError)
  })
})
