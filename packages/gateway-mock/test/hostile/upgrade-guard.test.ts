// #14 item 1, the last resort: whatever still throws in the synchronous upgrade handler, or a
// client that resets its connection mid-upgrade, is answered or dropped, reported, and survived.
import { createServer, type Server } from "node:http"
import { connect } from "node:net"
import type { Duplex } from "node:stream"
import { afterEach, describe, expect, it } from "vitest"
import { guardUpgrade } from "../../src/upgrade-guard.js"
import { rawRequest, upgradeRequest } from "./support/raw-http.js"

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()))
  return (server.address() as { port: number }).port
}

describe("hostile clients: the upgrade handler's guard", () => {
  let server: Server | undefined
  afterEach(async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
    server = undefined
  })

  it("an error thrown while handling an upgrade is answered with 500 and reported", async () => {
    const reports: string[] = []
    let calls = 0
    server = createServer()
    server.on(
      "upgrade",
      guardUpgrade(
        () => {
          calls++
          throw new URIError("URI malformed")
        },
        (message) => reports.push(message),
        () => false,
      ),
    )
    const port = await listen(server)
    const first = await rawRequest(port, upgradeRequest("/boom", `127.0.0.1:${port}`))
    const second = await rawRequest(port, upgradeRequest("/again", `127.0.0.1:${port}`))
    expect([first.status, second.status]).toEqual([500, 500])
    expect(calls).toBe(2)
    expect(reports).toEqual([
      "upgrade /boom failed: URIError: URI malformed",
      "upgrade /again failed: URIError: URI malformed",
    ])
  })

  it("a socket that already became a WebSocket is destroyed, not answered with a status", async () => {
    server = createServer()
    server.on(
      "upgrade",
      guardUpgrade(
        (_req, socket) => {
          socket.write("HTTP/1.1 101 Switching Protocols\r\n\r\n")
          throw new Error("after the 101")
        },
        () => {},
        () => true,
      ),
    )
    const port = await listen(server)
    const answer = await rawRequest(port, upgradeRequest("/x", `127.0.0.1:${port}`))
    expect(answer.status).toBe(101)
    expect(answer.head).not.toContain("500")
  })

  it("a client that resets its connection mid-upgrade does not raise an uncaught error", async () => {
    // The handler keeps the socket and listens for nothing, like one waiting to answer; an
    // 'error' event without a listener would be thrown, and vitest fails the run on it.
    const sockets: Duplex[] = []
    server = createServer()
    server.on(
      "upgrade",
      guardUpgrade(
        (_req, socket) => {
          sockets.push(socket)
        },
        () => {},
        () => false,
      ),
    )
    const port = await listen(server)
    const client = connect(port, "127.0.0.1")
    client.write(upgradeRequest("/slow", `127.0.0.1:${port}`))
    await expect.poll(() => sockets.length).toBe(1)
    client.resetAndDestroy()
    // Writing to a reset connection fails with EPIPE or ECONNRESET, as an 'error' event.
    const socket = sockets[0]!
    await expect
      .poll(
        () => {
          if (!socket.destroyed) socket.write(Buffer.alloc(64 * 1024))
          return socket.destroyed
        },
        { timeout: 5_000 },
      )
      .toBe(true)
  })
})
