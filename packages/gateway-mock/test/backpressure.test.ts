// Backpressure end to end: an actor streams to a client that does not read. The gateway runs in
// its own process so that its memory can be read; the runner and the client run here.
import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { get, type IncomingMessage } from "node:http"
import { fileURLToPath } from "node:url"
import { Runner, type RunnerHandlers } from "@tunnelwire/runner"
import { afterEach, describe, expect, it } from "vitest"
import { WebSocket } from "ws"
import type { GatewayOptions } from "../src/index.js"
import { gatewaySocketUrl } from "./support/client.js"
import { PatternCheck, patternChunk } from "./support/counter-pattern.js"

const MiB = 1024 * 1024
const TOTAL = 256 * MiB
const CHUNK = MiB
const RSS_GROWTH_LIMIT = 64 * MiB

const children: ChildProcess[] = []
const runners: Runner[] = []
const cleanups: Array<() => void> = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  await Promise.all(runners.splice(0).map((runner) => runner.shutdown()))
  for (const child of children.splice(0)) child.kill("SIGKILL")
})

/** A gateway process, resolved with its URL once it listens. */
async function gatewayProcess(options: GatewayOptions): Promise<{ url: string; pid: number }> {
  const script = fileURLToPath(new URL("./support/gateway-process.ts", import.meta.url))
  const child = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify(options)], {
    stdio: ["ignore", "pipe", "inherit"],
  })
  children.push(child)
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()))
    child.once("exit", (code) => reject(new Error(`gateway process exited with ${code}`)))
  })
  return { url, pid: child.pid! }
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8")
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)
  if (kib === null) throw new Error(`no VmRSS for process ${pid}`)
  return Number(kib[1]) * 1024
}

/** Samples a process's RSS until stopped; `peak` is the highest seen. */
function watchRss(pid: number): { readonly peak: () => number; stop(): void } {
  let peak = rssBytes(pid)
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid))
  }, 25)
  const stop = () => clearInterval(timer)
  cleanups.push(stop)
  return {
    peak: () => Math.max(peak, rssBytes(pid)),
    stop,
  }
}

async function createActor(gatewayUrl: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/actors`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "streamer" }),
  })
  const { actor } = (await response.json()) as { actor: { actorId: string } }
  return actor.actorId
}

async function startRunner(gatewayUrl: string, handlers: Partial<RunnerHandlers>): Promise<void> {
  const runner = new Runner({
    endpoint: gatewayUrl,
    namespace: "default",
    runnerName: "streamer",
    // Backpressure rides on TunnelAcks, which only v1–v3 have: v4+ runners are never held back.
    protocolVersion: 3,
    handlers: { onActorStart: () => {}, onActorStop: () => {}, ...handlers },
  })
  runners.push(runner)
  await runner.start()
}

/** Resolves once `read()` stopped changing for `quietMs` (the producer is held back). */
async function plateau(read: () => number, quietMs = 2_000, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let last = read()
  let since = Date.now()
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    const now = read()
    if (now !== last) {
      last = now
      since = Date.now()
    } else if (now > 0 && Date.now() - since >= quietMs) {
      return now
    }
  }
  throw new Error(`plateau: still moving after ${timeoutMs} ms (at ${last})`)
}

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("until: condition not met")
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** An actor that streams TOTAL bytes of the counter pattern to each WebSocket, paced by bufferedAmount. */
function streamingSocketActor() {
  const actor = { sent: 0, waits: 0, done: false }
  const handlers: Partial<RunnerHandlers> = {
    websocket: (_actorId, ws) => {
      ws.bufferedAmountLowThreshold = MiB
      ws.addEventListener("open", async () => {
        while (actor.sent < TOTAL && ws.readyState === ws.OPEN) {
          if (ws.bufferedAmount > ws.bufferedAmountLowThreshold) {
            actor.waits++
            await new Promise((resolve) =>
              ws.addEventListener("bufferedamountlow", resolve, { once: true }),
            )
            continue
          }
          ws.send(patternChunk(actor.sent, CHUNK))
          actor.sent += CHUNK
        }
        actor.done = actor.sent === TOTAL
      })
    },
  }
  return { actor, handlers }
}

/** An actor whose HTTP response streams TOTAL bytes of the counter pattern, pulled by the runner. */
function streamingResponseActor() {
  const actor = { produced: 0 }
  const handlers: Partial<RunnerHandlers> = {
    fetch: () =>
      new Response(
        new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              if (actor.produced >= TOTAL) {
                controller.close()
                return
              }
              controller.enqueue(patternChunk(actor.produced, CHUNK))
              actor.produced += CHUNK
            },
          },
          { highWaterMark: 0 },
        ),
      ),
  }
  return { actor, handlers }
}

describe("an actor streaming 256 MiB to a client that does not read", () => {
  // A stall limit far away: this client is slow on purpose, and must not be closed.
  const options: GatewayOptions = { clientStallTimeoutMs: 300_000 }

  it("over WebSocket: the gateway stays small, the actor waits, the client gets every byte", async () => {
    const gateway = await gatewayProcess(options)
    const { actor, handlers } = streamingSocketActor()
    await startRunner(gateway.url, handlers)
    const actorId = await createActor(gateway.url)
    const baseline = rssBytes(gateway.pid)
    const rss = watchRss(gateway.pid)

    const check = new PatternCheck()
    const client = new WebSocket(gatewaySocketUrl(gateway.url, actorId, "/stream"))
    cleanups.push(() => client.terminate())
    client.on("message", (data: Buffer) => check.feed(data))
    await new Promise((resolve) => client.once("open", resolve))
    client.pause()

    const sentWhileNotReading = await plateau(() => actor.sent)
    expect(sentWhileNotReading).toBeLessThan(TOTAL / 4)
    expect(actor.waits).toBeGreaterThan(0)
    expect(rss.peak() - baseline).toBeLessThan(RSS_GROWTH_LIMIT)

    client.resume()
    await until(() => check.received === TOTAL && actor.done)
    rss.stop()
    expect(check.received).toBe(TOTAL)
    expect(rss.peak() - baseline).toBeLessThan(RSS_GROWTH_LIMIT)
  }, 120_000)

  it("over HTTP: the gateway stays small, the response waits, the client gets every byte", async () => {
    const gateway = await gatewayProcess(options)
    const { actor, handlers } = streamingResponseActor()
    await startRunner(gateway.url, handlers)
    const actorId = await createActor(gateway.url)
    const baseline = rssBytes(gateway.pid)
    const rss = watchRss(gateway.pid)

    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = get(`${gateway.url}/gateway/${actorId}/stream`, resolve)
      request.once("error", reject)
      cleanups.push(() => request.destroy())
    })
    expect(response.statusCode).toBe(200)

    const producedWhileNotReading = await plateau(() => actor.produced)
    expect(producedWhileNotReading).toBeLessThan(TOTAL / 4)
    expect(rss.peak() - baseline).toBeLessThan(RSS_GROWTH_LIMIT)

    const check = new PatternCheck()
    for await (const chunk of response) check.feed(chunk as Buffer)
    rss.stop()
    expect(check.received).toBe(TOTAL)
    expect(rss.peak() - baseline).toBeLessThan(RSS_GROWTH_LIMIT)
  }, 120_000)
})

describe("the counter pattern", () => {
  it("accepts the stream in any split and names the first byte out of place", () => {
    const check = new PatternCheck()
    const stream = patternChunk(0, 64)
    check.feed(stream.subarray(0, 7))
    check.feed(stream.subarray(7, 33))
    check.feed(stream.subarray(33))
    expect(check.received).toBe(64)
    expect(() => check.feed(patternChunk(68, 8))).toThrow("byte 64: word 17, expected 16")
  })
})
