// A client stuck beyond the gateway's bounds is closed, and the runner that fed it can forget
// what it sent.
import { get, type IncomingMessage } from "node:http"
import { GatewayClose, RunnerClose, withoutRayId } from "@tunnelwire/protocol/pinned/v3"
import { Runner, type RunnerHandlers, type TunnelWebSocket } from "@tunnelwire/runner"
import { afterEach, describe, expect, it } from "vitest"
import { WebSocket } from "ws"
import { type Gateway, type GatewayOptions, startGateway, type TapEvent } from "../src/index.js"
import { eventually, gatewaySocketUrl } from "./support/client.js"
import { PatternCheck, patternChunk } from "./support/counter-pattern.js"

const CHUNK = 64 * 1024

let gateway: Gateway | undefined
let runner: Runner | undefined
const runners: Runner[] = []
const cleanups: Array<() => void> = []
const events: TapEvent[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await Promise.all(runners.splice(0).map((runner) => runner.shutdown()))
  await gateway?.stop()
  gateway = undefined
  events.length = 0
})

async function setUp(
  options: GatewayOptions,
  handlers: Partial<RunnerHandlers>,
  maxBufferedBytes?: number,
): Promise<string> {
  gateway = await startGateway({ port: 0, ...options })
  gateway.tap.subscribe((event) => events.push(event))
  runner = new Runner({
    endpoint: gateway.url,
    namespace: "default",
    runnerName: "streamer",
    // The gateway holds a slow client's runner back by withholding TunnelAcks, which only v1–v3
    // have; these tests are about that (and the runner's own bound on what waits for them).
    protocolVersion: 3,
    shutdownTimeoutMs: 1_000,
    maxBufferedBytes,
    handlers: { onActorStart: () => {}, onActorStop: () => {}, ...handlers },
  })
  runners.push(runner)
  await runner.start()
  return gateway.createActor({ name: "streamer" }).actorId
}

function faults(): string[] {
  return events.flatMap((event) => (event.type === "fault" ? [event.message] : []))
}

describe("a client that stops reading", () => {
  it("over WebSocket is closed after the stall timeout with the client-too-slow close", async () => {
    const actor: { ws: TunnelWebSocket | null; closed: { code: number; reason: string } | null } = {
      ws: null,
      closed: null,
    }
    const actorId = await setUp(
      { clientStallTimeoutMs: 300 },
      {
        websocket: (_actorId, ws) => {
          actor.ws = ws
          ws.addEventListener("close", (event) => {
            actor.closed = { code: event.code, reason: event.reason }
          })
          const pump = () => {
            while (ws.readyState === ws.OPEN && ws.bufferedAmount <= 256 * 1024) {
              ws.send(new Uint8Array(CHUNK))
            }
          }
          ws.addEventListener("open", pump)
          ws.addEventListener("bufferedamountlow", pump)
        },
      },
    )
    const client = new WebSocket(gatewaySocketUrl(gateway!.url, actorId, "/stream"))
    cleanups.push(() => client.terminate())
    const clientClosed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    )
    await new Promise((resolve) => client.once("open", resolve))
    client.pause()

    await eventually(() => actor.closed !== null, 20_000)
    const rule = GatewayClose.clientTooSlow
    expect(actor.closed!.code).toBe(rule.code)
    expect(withoutRayId(actor.closed!.reason)).toBe(rule.reason)
    expect(faults()).toEqual([
      `closing with ${actor.closed!.reason}: the client read nothing for 300 ms`,
    ])
    // Every message the runner sent was acknowledged once the client was given up on.
    await eventually(() => actor.ws!.bufferedAmount === 0)

    client.resume()
    const closed = await clientClosed
    expect(closed).toEqual(actor.closed)
  })

  it("over HTTP has its response cut once more than maxClientBufferedBytes waits for it", async () => {
    let aborted = false
    const actorId = await setUp(
      {
        clientHighWaterBytes: 256 * 1024,
        maxClientBufferedBytes: 1024 * 1024,
        clientStallTimeoutMs: 60_000,
      },
      {
        fetch: (_actorId, request) => {
          request.signal.addEventListener("abort", () => {
            aborted = true
          })
          return new Response(
            new ReadableStream<Uint8Array>(
              { pull: (controller) => controller.enqueue(new Uint8Array(CHUNK)) },
              { highWaterMark: 0 },
            ),
          )
        },
      },
    )
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = get(`${gateway!.url}/gateway/${actorId}/stream`, resolve)
      request.once("error", reject)
      cleanups.push(() => request.destroy())
    })
    expect(response.statusCode).toBe(200)

    await eventually(() => faults().length > 0, 20_000)
    expect(faults()[0]).toMatch(
      /^response cut, the client is too slow: \d+ bytes wait for the client, over the bound of 1048576$/,
    )
    await eventually(() => aborted)
    const read = (async () => {
      for await (const _chunk of response) {
        // The client reads what reached it, then finds the response cut short.
      }
    })()
    await expect(read).rejects.toThrow("aborted")
    expect(events.filter((e) => e.type === "request").map((e) => e.event)).toEqual([
      "start",
      "response",
      "abort",
    ])
  })
})

describe("an actor that ignores bufferedAmount while its client does not read", () => {
  it("has its socket closed by the runner at maxBufferedBytes", async () => {
    const actor = { closed: null as { code: number; reason: string } | null }
    const actorId = await setUp(
      { clientStallTimeoutMs: 60_000 },
      {
        websocket: (_actorId, ws) => {
          const timer = setInterval(() => ws.send(new Uint8Array(CHUNK)), 1)
          ws.addEventListener("close", (event) => {
            clearInterval(timer)
            actor.closed = { code: event.code, reason: event.reason }
          })
        },
      },
      4 * 1024 * 1024,
    )
    const client = new WebSocket(gatewaySocketUrl(gateway!.url, actorId, "/stream"))
    cleanups.push(() => client.terminate())
    const clientClosed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    )
    await new Promise((resolve) => client.once("open", resolve))
    client.pause()

    await eventually(() => actor.closed !== null, 20_000)
    const rule = RunnerClose.outboundBufferFull
    expect(actor.closed).toEqual({ code: rule.code, reason: rule.reason })
    client.resume()
    expect(await clientClosed).toEqual({ code: rule.code, reason: rule.reason })
  })
})

describe("a socket that hibernates while its client is not reading", () => {
  it("keeps what the actor sent for the client and releases the runner's messages as the client reads", async () => {
    const actor = { sent: 0, ws: null as TunnelWebSocket | null, hibernated: false }
    const actorId = await setUp(
      { clientStallTimeoutMs: 60_000 },
      {
        canHibernate: () => true,
        websocket: (_actorId, ws) => {
          actor.ws = ws
          ws.addEventListener("close", (event) => {
            actor.hibernated = event.hibernating
          })
          const pump = () => {
            while (ws.readyState === ws.OPEN && ws.bufferedAmount <= 256 * 1024) {
              ws.send(patternChunk(actor.sent, CHUNK))
              actor.sent += CHUNK
            }
          }
          ws.addEventListener("open", pump)
          ws.addEventListener("bufferedamountlow", pump)
        },
      },
    )
    const check = new PatternCheck()
    const client = new WebSocket(gatewaySocketUrl(gateway!.url, actorId, "/stream"))
    cleanups.push(() => client.terminate())
    client.on("message", (data: Buffer) => check.feed(data))
    await new Promise((resolve) => client.once("open", resolve))
    client.pause()
    // The actor is held back: its messages wait for acknowledgements the client's pace releases.
    await eventually(() => (actor.ws?.bufferedAmount ?? 0) > 256 * 1024, 20_000)

    runner!.sleepActor(actorId)
    await eventually(() => actor.hibernated, 20_000)
    expect(actor.ws!.bufferedAmount).toBeGreaterThan(0)

    client.resume()
    await eventually(() => check.received === actor.sent, 20_000)
    await eventually(() => actor.ws!.bufferedAmount === 0)
    expect(client.readyState).toBe(WebSocket.OPEN)
    expect(events.flatMap((e) => (e.type === "socket" ? [e.event] : []))).toEqual([
      "open",
      "hibernate",
    ])
    expect(faults()).toEqual([])
  })
})
