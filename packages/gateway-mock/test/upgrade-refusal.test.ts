import { EventEmitter } from "node:events"
import type { IncomingMessage } from "node:http"
import type { Duplex } from "node:stream"
import { describe, expect, it } from "vitest"
import { guardUpgrade, refuseUpgrade } from "../src/upgrade-guard.js"

/** The parts of an upgrade socket the guard touches, recording what was written and whether it was destroyed. */
class FakeSocket extends EventEmitter {
  writable = true
  destroyed = false
  written: string[] = []
  end(chunk: string): void {
    this.written.push(chunk)
  }
  destroy(): void {
    this.destroyed = true
  }
}

const asDuplex = (socket: FakeSocket) => socket as unknown as Duplex
const request = { url: "/actors/a/ws" } as IncomingMessage

function guarded(upgraded: boolean) {
  const reports: string[] = []
  const handler = guardUpgrade(
    () => {
      throw new Error("boom")
    },
    (message) => reports.push(message),
    () => upgraded,
  )
  return { handler, reports }
}

describe("refusing an upgrade", () => {
  it("writes one complete HTTP response with the status, its text, and the message as body", () => {
    const socket = new FakeSocket()
    refuseUpgrade(asDuplex(socket), 404, "no such actor")
    expect(socket.written).toEqual([
      "HTTP/1.1 404 Not Found\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Length: 14\r\n" +
        "Connection: close\r\n\r\n" +
        "no such actor\n",
    ])
  })

  it("counts the body's length in UTF-8 bytes and leaves the text empty for an unnamed status", () => {
    const socket = new FakeSocket()
    refuseUpgrade(asDuplex(socket), 599, "é")
    expect(socket.written).toEqual([
      "HTTP/1.1 599 \r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Length: 3\r\n" +
        "Connection: close\r\n\r\n" +
        "é\n",
    ])
  })
})

describe("the upgrade guard", () => {
  it("answers a handler's error with 500 internal error and reports it", () => {
    const socket = new FakeSocket()
    const { handler, reports } = guarded(false)
    handler(request, asDuplex(socket), Buffer.alloc(0))
    expect(socket.written).toHaveLength(1)
    expect(socket.written[0]).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/)
    expect(socket.written[0]).toMatch(/\r\n\r\ninternal error\n$/)
    expect(socket.destroyed).toBe(false)
    expect(reports).toEqual(["upgrade /actors/a/ws failed: Error: boom"])
  })

  it("destroys, without writing, a socket that is no longer writable", () => {
    const socket = new FakeSocket()
    socket.writable = false
    guarded(false).handler(request, asDuplex(socket), Buffer.alloc(0))
    expect(socket.written).toEqual([])
    expect(socket.destroyed).toBe(true)
  })

  it("destroys, without writing, a socket that already became a WebSocket", () => {
    const socket = new FakeSocket()
    guarded(true).handler(request, asDuplex(socket), Buffer.alloc(0))
    expect(socket.written).toEqual([])
    expect(socket.destroyed).toBe(true)
  })

  it("destroys a socket on its error instead of letting the error go uncaught", () => {
    const socket = new FakeSocket()
    const handler = guardUpgrade(
      () => {},
      () => {},
      () => false,
    )
    handler(request, asDuplex(socket), Buffer.alloc(0))
    expect(socket.destroyed).toBe(false)
    expect(() => socket.emit("error", new Error("ECONNRESET"))).not.toThrow()
    expect(socket.destroyed).toBe(true)
  })
})
