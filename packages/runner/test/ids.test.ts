import { idKey, isRfc4122v4, LATEST_VERSION } from "@tunnelwire/protocol/pinned/v3"
import { afterEach, describe, expect, it } from "vitest"
import type { Runner } from "../src/index.js"
import { FakeGateway } from "./support/fake-gateway.js"
import { settle, testRunner } from "./support/harness.js"

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let gateway: FakeGateway | undefined
let runner: Runner | undefined

afterEach(async () => {
  await runner?.shutdown()
  await gateway?.close()
})

describe("ids the runner mints", () => {
  it("every message id the runner sends in a session, across a reconnect, is a distinct RFC 4122 v4 UUID", async () => {
    gateway = await FakeGateway.start({ ackTunnel: false })
    let log: ReturnType<typeof testRunner>["log"]
    ;({ runner, log } = testRunner(gateway, LATEST_VERSION, {
      handlers: { canHibernate: () => true },
    }))
    await runner.start()
    await gateway.startActor("actor-a")
    const { requestId } = await gateway.openWebSocket("actor-a")
    const ws = log.sockets.at(-1)!.ws
    for (let index = 0; index < 20; index++) {
      gateway.sendWebSocketMessage(requestId, `in ${index}`, { index })
      ws.send(`out ${index}`)
    }
    await gateway.request("actor-a", { path: "/http" })
    await gateway.barrier()
    gateway.drop()
    await gateway.waitForReady(2)
    ws.send("after the reconnect")
    gateway.acknowledgeTunnel()
    await gateway.barrier()
    await settle()

    const minted = gateway.frames.flatMap((frame) =>
      frame.direction === "in" &&
      frame.message.tag === "ToServerTunnelMessage" &&
      frame.message.val.messageKind.tag !== "TunnelAck"
        ? [frame.message.val.messageId]
        : [],
    )
    expect(minted.length).toBeGreaterThan(60)
    expect(minted.filter((id) => !isRfc4122v4(id)).map(idKey)).toEqual([])
    // An id sent twice is a resend after the reconnect (the same message), never a new message.
    const kinds = new Map<string, string>()
    for (const frame of gateway.frames) {
      if (frame.direction !== "in" || frame.message.tag !== "ToServerTunnelMessage") continue
      const { messageId, messageKind } = frame.message.val
      if (messageKind.tag === "TunnelAck") continue
      const line = JSON.stringify(messageKind, (_, v) =>
        v instanceof ArrayBuffer ? idKey(v) : typeof v === "bigint" ? String(v) : v,
      )
      expect(kinds.get(idKey(messageId)) ?? line).toBe(line)
      kinds.set(idKey(messageId), line)
    }
    expect(gateway.connections.map((c) => c.runnerKey)).toEqual([
      expect.stringMatching(UUID_V4),
      expect.stringMatching(UUID_V4),
    ])
  })
})
