import { Socket } from "node:net"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import type { Runner } from "../src/index.js"
import { FakeGateway } from "./support/fake-gateway.js"
import { testRunner, wire } from "./support/harness.js"

describe("writes to the gateway", () => {
  let gateway: FakeGateway
  let runner: Runner | undefined

  beforeEach(async () => {
    gateway = await FakeGateway.start()
  })

  afterEach(async () => {
    vi.restoreAllMocks()
    await runner?.shutdown()
    runner = undefined
    await gateway.close()
  })

  it("frames sent in one tick leave in one write call (one system call), not one each", async () => {
    ;({ runner } = testRunner(gateway, 3, {
      handlers: {
        websocket: (_actorId, ws) => {
          ws.addEventListener("message", () => {
            for (const text of ["one", "two", "three"]) ws.send(text)
          })
        },
      },
    }))
    await runner.start()
    await gateway.startActor("actor-a")
    const { requestId } = await gateway.openWebSocket("actor-a")
    await gateway.barrier()
    const gatewayPort = Number(new URL(gateway.url).port)
    const fromRunner = (socket: Socket) => socket.remotePort === gatewayPort
    const single = vi.spyOn(Socket.prototype, "_write")
    const vectored = vi.spyOn(Socket.prototype, "_writev")
    const since = gateway.frames.length

    gateway.sendWebSocketMessage(requestId, "go", { index: 0 })
    await gateway.waitFor(() => gateway.tunnelFrom(requestId, since).length >= 4)

    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual([
      "TunnelAck",
      "Message one",
      "Message two",
      "Message three",
    ])
    const singles = single.mock.contexts.filter((socket) => fromRunner(socket as Socket))
    const vectors = vectored.mock.calls.filter((_, i) =>
      fromRunner(vectored.mock.contexts[i] as Socket),
    )
    expect(singles).toHaveLength(0)
    expect(vectors).toHaveLength(1)
  })
})
