// End to end: real clients → the gateway → runners built on @tunnelwire/runner, over every
// protocol version the versions lock names (v1–v3 and the second family, v4–v7).
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { capabilities, GatewayClose, PROTOCOL_VERSIONS, RunnerClose } from "@tunnelwire/protocol"
import type { KvEntry, Runner } from "@tunnelwire/runner"
import { afterEach, describe, expect, it } from "vitest"
import { type Gateway, type GatewayOptions, startGateway, type TapEvent } from "../src/index.js"
import { eventually, gatewaySocketUrl, TestClient } from "./support/client.js"
import { type EchoRunnerOptions, echoRunner } from "./support/echo-runner.js"

const TOTAL = 10_000
const hibernating = PROTOCOL_VERSIONS.filter((version) => capabilities(version).canHibernate)
const restoring = PROTOCOL_VERSIONS.filter((v) => capabilities(v).restoreHibernatingOnStart)
const sequence = Array.from({ length: TOTAL }, (_, i) => `seq:${i}`)

let gateway: Gateway | undefined
const runners: Runner[] = []
const clients: TestClient[] = []
const children: ChildProcess[] = []
const events: TapEvent[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate()
  for (const child of children.splice(0)) child.kill("SIGKILL")
  await Promise.all(runners.splice(0).map((runner) => runner.shutdown()))
  await gateway?.stop()
  gateway = undefined
  events.length = 0
})

async function setUp(options: GatewayOptions = {}): Promise<Gateway> {
  gateway = await startGateway({ port: 0, maxPendingMessages: 2 * TOTAL, ...options })
  gateway.tap.subscribe((event) => {
    if (event.type !== "frame" || !event.kind.startsWith("ToClientWebSocketMessage")) {
      events.push(event)
    }
  })
  return gateway
}

async function runner(options: Omit<EchoRunnerOptions, "endpoint">): Promise<Runner> {
  const started = echoRunner({ endpoint: gateway!.url, ...options })
  runners.push(started)
  await started.start()
  return started
}

function client(actorId: string, path = "/"): TestClient {
  const opened = new TestClient(gatewaySocketUrl(gateway!.url, actorId, path))
  clients.push(opened)
  return opened
}

/** An open socket to a fresh actor on a runner of `version`. */
async function openSocket(version: number, options: Partial<EchoRunnerOptions> = {}) {
  const hosting = await runner({ version, ...options })
  const actor = gateway!.createActor({ name: "echo" })
  const socket = client(actor.actorId, "/chat")
  await socket.opened
  socket.send("hello")
  await socket.until(() => socket.messages.length === 1)
  return { runner: hosting, actor, socket }
}

function socketEvents(): string[] {
  return events.flatMap((event) => (event.type === "socket" ? [event.event] : []))
}

/** Sends the first half, runs `interrupt` once a quarter came back, then sends the rest. */
async function streamAcross(socket: TestClient, interrupt: () => Promise<void>): Promise<void> {
  for (let i = 0; i < TOTAL / 2; i++) socket.send(sequence[i]!)
  await socket.until(() => socket.messages.length >= TOTAL / 4)
  await interrupt()
  for (let i = TOTAL / 2; i < TOTAL; i++) socket.send(sequence[i]!)
  await socket.until(() => socket.messages.length >= TOTAL, 90_000)
}

describe.each(PROTOCOL_VERSIONS)("with the runner SDK over v%i", (version) => {
  it("answers a buffered HTTP request", async () => {
    await setUp()
    await runner({ version })
    const actor = gateway!.createActor({ name: "echo" })
    const response = await fetch(`${gateway!.url}/gateway/${actor.actorId}/hi?q=1`, {
      method: "POST",
      body: "ping",
    })
    expect(response.status).toBe(200)
    expect(response.headers.get("x-actor")).toBe("echo")
    expect(await response.text()).toBe("POST /hi?q=1 ping")
  })

  it("streams a request body in and a response body out", async () => {
    await setUp()
    await runner({ version })
    const actor = gateway!.createActor({ name: "echo" })
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of ["a", "b", "c"]) controller.enqueue(new TextEncoder().encode(part))
        controller.close()
      },
    })
    const upload = await fetch(`${gateway!.url}/gateway/${actor.actorId}/up`, {
      method: "PUT",
      body,
      duplex: "half",
    } as RequestInit)
    expect(await upload.text()).toBe("PUT /up abc")
    const download = await fetch(`${gateway!.url}/gateway/${actor.actorId}/stream`)
    expect(await download.text()).toBe("one two three")
    const chunks = events.filter((e) => e.type === "frame" && e.kind === "ToServerResponseChunk")
    expect(chunks.length).toBeGreaterThan(0)
  })

  it("lists KV keys put out of order in byte order, and exactly reversed", async () => {
    await setUp()
    const hosting = await runner({ version })
    const actor = gateway!.createActor({ name: "echo" })
    gateway!.wakeActor(actor.actorId)
    await eventually(() => gateway!.getActor(actor.actorId)?.state === "running")
    const kv = hosting.kv(actor.actorId)
    const inserted = [[0x62, 0x61], [0xff], [0x62], [0x80, 0x00], [0x00], [0x62, 0x80], [0x80]]
    await kv.put(inserted.map((key) => [Uint8Array.from(key), Uint8Array.from(key)]))
    const hex = (entries: KvEntry[]) => entries.map((e) => Buffer.from(e.key).toString("hex"))
    const sorted = ["00", "62", "6261", "6280", "80", "8000", "ff"]
    expect(hex(await kv.listAll())).toEqual(sorted)
    expect(hex(await kv.listAll({ reverse: true }))).toEqual([...sorted].reverse())
    const b = Uint8Array.of(0x62)
    expect(hex(await kv.listPrefix(b))).toEqual(["62", "6261", "6280"])
    expect(hex(await kv.listPrefix(b, { reverse: true }))).toEqual(["6280", "6261", "62"])
    const [start, end] = [Uint8Array.of(0x62, 0x61), Uint8Array.of(0x80, 0x00)]
    expect(hex(await kv.listRange(start, end))).toEqual(["6261", "6280", "80", "8000"])
    expect(hex(await kv.listRange(start, end, { exclusive: true, reverse: true }))).toEqual([
      "80",
      "6280",
      "6261",
    ])
  })

  it("echoes WebSocket messages in order", async () => {
    await setUp()
    const { socket } = await openSocket(version)
    for (let i = 0; i < 200; i++) socket.send(`m${i}`)
    await socket.until(() => socket.messages.length === 201)
    expect(socket.messages.slice(1)).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`))
  })

  describe("close paths, seen from the client", () => {
    it("the client's close reaches the actor and nothing is echoed back", async () => {
      await setUp()
      let closedWith: string | null = null
      await runner({
        version,
        handlers: {
          websocket: (_actorId, ws) => {
            ws.addEventListener("close", (event) => {
              closedWith = `${event.code} ${event.reason}`
            })
          },
        },
      })
      const actor = gateway!.createActor({ name: "echo" })
      const socket = client(actor.actorId)
      await socket.opened
      await eventually(() => socketEvents().includes("open"))
      socket.ws.close(4100, "client leaves")
      await eventually(() => closedWith !== null)
      expect(closedWith).toBe("4100 client leaves")
      await new Promise((resolve) => setTimeout(resolve, 100))
      const fromRunner = events.filter(
        (e) =>
          e.type === "frame" && e.direction === "fromRunner" && e.kind === "ToServerWebSocketClose",
      )
      expect(fromRunner).toEqual([])
    })

    it("the actor's close arrives with its code and reason", async () => {
      await setUp()
      const { socket } = await openSocket(version)
      socket.send("close:4200:actor says bye")
      expect(await socket.closedPromise).toEqual({ code: 4200, reason: "actor says bye" })
    })

    it("the actor's close without a code arrives as GatewayClose.closed", async () => {
      await setUp()
      const { socket } = await openSocket(version)
      socket.send("close")
      expect(await socket.closedPromise).toEqual({
        code: GatewayClose.closed.code,
        reason: GatewayClose.closed.reason,
      })
    })

    // Only v1–v3 acknowledge tunnel messages; from v4 there is nothing to time out.
    it.runIf(capabilities(version).tunnelAck)(
      "an ack timeout at the runner arrives as RunnerClose.ackTimeout",
      async () => {
        await setUp({ faults: { withholdTunnelAcks: true } })
        const hosting = await runner({ version, ackTimeoutMs: 200 })
        const actor = gateway!.createActor({ name: "echo" })
        const socket = client(actor.actorId)
        await socket.opened
        socket.send("unacknowledged echo")
        expect(await socket.closedPromise).toEqual({
          code: RunnerClose.ackTimeout.code,
          reason: RunnerClose.ackTimeout.reason,
        })
        expect(hosting.runnerId).not.toBeNull()
      },
    )

    it("an actor stop closes a socket that cannot hibernate with RunnerClose.actorStopped", async () => {
      await setUp()
      const { socket, actor } = await openSocket(version, { hibernate: false })
      gateway!.sleepActor(actor.actorId)
      expect(await socket.closedPromise).toEqual({
        code: RunnerClose.actorStopped.code,
        reason: RunnerClose.actorStopped.reason,
      })
    })

    it("a runner shutdown whose actor will not stop closes with RunnerClose.tunnelShutdown", async () => {
      await setUp()
      const { socket, runner: hosting } = await openSocket(version, {
        hibernate: false,
        shutdownTimeoutMs: 100,
        handlers: { onActorStop: () => new Promise(() => {}) },
      })
      void hosting.shutdown()
      expect(await socket.closedPromise).toEqual({
        code: RunnerClose.tunnelShutdown.code,
        reason: RunnerClose.tunnelShutdown.reason,
      })
    })
  })
})

describe.each(hibernating)("hibernation with the runner SDK over v%i", (version) => {
  it("an index skip arrives as RunnerClose.messageIndexSkip", async () => {
    await setUp({ faults: { skipMessageIndex: 2 } })
    const { socket } = await openSocket(version)
    socket.send("one")
    socket.send("two (skipped by the gateway)")
    socket.send("three")
    expect(await socket.closedPromise).toEqual({
      code: RunnerClose.messageIndexSkip.code,
      reason: RunnerClose.messageIndexSkip.reason,
    })
    expect(socket.messages).toEqual(["hello", "one"])
  })

  it(`${TOTAL} sequenced messages survive an actor sleep: none lost, duplicated or reordered`, async () => {
    await setUp()
    const { socket, actor, runner: hosting } = await openSocket(version)
    await streamAcross(socket, async () => {
      hosting.sleepActor(actor.actorId)
      await eventually(() => socketEvents().includes("hibernate"))
    })
    expect(socket.messages).toEqual(["hello", ...sequence])
    expect(socketEvents()).toEqual(["open", "hibernate", "wake"])
    expect(gateway!.getActor(actor.actorId)?.generation).toBe(2)
  })

  it(`${TOTAL} sequenced messages survive a runner process restart`, async () => {
    await setUp()
    const first = await runnerProcess(version, "restarting")
    const actor = gateway!.createActor({ name: "echo" })
    const socket = client(actor.actorId)
    await socket.opened
    await streamAcross(socket, async () => {
      first.kill("SIGTERM")
      await new Promise((resolve) => first.once("exit", resolve))
      expect(first.exitCode).toBe(0)
      await runnerProcess(version, "restarting")
    })
    expect(socket.messages).toEqual(sequence)
    expect(socket.closed).toBeNull()
    expect(socketEvents()).toEqual(["open", "hibernate", "wake"])
  })
})

describe.each(restoring)("restoring hibernating sockets over v%i", (version) => {
  it("missing metadata arrives as RunnerClose.metaNotFoundDuringRestore", async () => {
    await setUp()
    const {
      socket,
      actor,
      runner: hosting,
    } = await openSocket(version, {
      persist: {
        loadHibernating: async () => [],
        saveHibernating: async () => {},
        deleteHibernating: async () => {},
      },
    })
    hosting.sleepActor(actor.actorId)
    await eventually(() => gateway!.getActor(actor.actorId)?.state === "stopped")
    socket.send("wake up")
    expect(await socket.closedPromise).toEqual({
      code: RunnerClose.metaNotFoundDuringRestore.code,
      reason: RunnerClose.metaNotFoundDuringRestore.reason,
    })
  })

  it("a failing restore hook arrives as RunnerClose.restoreError", async () => {
    await setUp()
    let failing = false
    const {
      socket,
      actor,
      runner: hosting,
    } = await openSocket(version, {
      persist: {
        loadHibernating: async () => {
          if (failing) throw new Error("storage is down")
          return []
        },
        saveHibernating: async () => {},
        deleteHibernating: async () => {},
      },
    })
    failing = true
    hosting.sleepActor(actor.actorId)
    await eventually(() => gateway!.getActor(actor.actorId)?.state === "stopped")
    socket.send("wake up")
    expect(await socket.closedPromise).toEqual({
      code: RunnerClose.restoreError.code,
      reason: RunnerClose.restoreError.reason,
    })
  })
})

describe("a v1 runner", () => {
  it("never hibernates, even when its app would allow it", async () => {
    await setUp()
    const { socket, actor } = await openSocket(1, { hibernate: true })
    gateway!.sleepActor(actor.actorId)
    expect(await socket.closedPromise).toEqual({
      code: RunnerClose.actorStopped.code,
      reason: RunnerClose.actorStopped.reason,
    })
    expect(socketEvents()).toEqual(["open", "close"])
  })
})

describe("runners of every version at once", () => {
  it("each serves its own actors", async () => {
    await setUp()
    await Promise.all(
      PROTOCOL_VERSIONS.map((version) => runner({ version, runnerName: `v${version}` })),
    )
    const sockets = PROTOCOL_VERSIONS.map((version) => {
      const actor = gateway!.createActor({ name: "echo", runnerName: `v${version}` })
      return { actor, socket: client(actor.actorId) }
    })
    for (const { socket } of sockets) {
      await socket.opened
      for (let i = 0; i < 100; i++) socket.send(`m${i}`)
    }
    for (const { socket, actor } of sockets) {
      await socket.until(() => socket.messages.length === 100)
      expect(socket.messages).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`))
      const response = await fetch(`${gateway!.url}/gateway/${actor.actorId}/v`)
      expect(await response.text()).toBe("GET /v ")
    }
    expect(
      gateway!
        .runners()
        .map((r) => r.version)
        .sort(),
    ).toEqual([...PROTOCOL_VERSIONS])
  })
})

/** A runner in its own process, resolved once it is connected. */
async function runnerProcess(version: number, runnerKey: string): Promise<ChildProcess> {
  const script = fileURLToPath(new URL("./support/echo-runner-process.ts", import.meta.url))
  const child = spawn(
    process.execPath,
    ["--import", "tsx", script, gateway!.url, String(version), runnerKey],
    { stdio: ["ignore", "pipe", "inherit"] },
  )
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve()
    })
    child.once("exit", (code) => reject(new Error(`runner process exited with ${code}`)))
  })
  return child
}
