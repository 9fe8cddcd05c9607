import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { PROTOCOL_VERSIONS } from "@tunnelwire/protocol"
import {
  encodeToServer,
  LATEST_VERSION,
  newId,
  RunnerConnectionClose,
  runnerConnectUrl,
  runnerSubprotocols,
} from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { WebSocket } from "ws"
import { eventually } from "./support/client.js"
import { useGateway } from "./support/fixture.js"

const TOKEN = "s3cret"
const fixture = useGateway({ token: TOKEN, initTimeoutMs: 200 })

/** Opens a runner socket by hand; resolves with the HTTP status when the upgrade is refused. */
function connect(options: { version?: number; token?: string; key?: string }) {
  const url = runnerConnectUrl(fixture().gateway.url, {
    protocolVersion: options.version ?? LATEST_VERSION,
    namespace: "default",
    runnerKey: options.key ?? crypto.randomUUID(),
  })
  const ws = new WebSocket(url, runnerSubprotocols(options.token))
  const outcome = new Promise<{ status: number; body: string } | { open: true }>((resolve) => {
    ws.once("open", () => resolve({ open: true }))
    ws.once("unexpected-response", (_req, res) => {
      let body = ""
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString()
      })
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
    })
    ws.once("error", () => {})
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  return { ws, outcome, closed }
}

/** A healthy runner with an open echo socket, to show it is unaffected by another's fault. */
async function bystander() {
  const f = fixture()
  const runner = await f.runner({ version: LATEST_VERSION, token: TOKEN, name: "bystander" })
  const actor = f.gateway.createActor({ name: "chat", runnerName: "bystander" })
  const client = f.client(actor.actorId)
  await client.opened
  await runner.until(() => runner.sockets.size === 1)
  const stillWorks = async () => {
    const before = client.messages.length
    client.send("still here")
    await client.until(() => client.messages.length === before + 1)
    expect(client.closed).toBeNull()
  }
  return { runner, client, actor, stillWorks }
}

describe("refused before the upgrade", () => {
  it("a wrong token gets 401 and no runner", async () => {
    const { outcome } = connect({ token: "wrong" })
    expect(await outcome).toEqual({ status: 401, body: "wrong runner token\n" })
    expect(fixture().gateway.runners()).toEqual([])
  })

  it("a missing token gets 401", async () => {
    const { outcome } = connect({})
    expect(await outcome).toEqual({ status: 401, body: "missing runner token\n" })
  })

  it("an unsupported protocol version gets 400 naming the versions spoken", async () => {
    const { outcome } = connect({ version: PROTOCOL_VERSIONS.length + 1, token: TOKEN })
    expect(await outcome).toEqual({
      status: 400,
      body: `unsupported protocol_version ${PROTOCOL_VERSIONS.length + 1}; this gateway speaks ${PROTOCOL_VERSIONS.join(", ")}\n`,
    })
    expect(
      fixture()
        .tapped("runner")
        .map((e) => [e.event, e.code]),
    ).toEqual([["rejected", 400]])
  })
})

describe("a misbehaving runner connection is closed; others are unaffected", () => {
  it("a malformed frame closes it with RunnerConnectionClose.malformedFrame", async () => {
    const { stillWorks } = await bystander()
    const { ws, outcome, closed } = connect({ token: TOKEN })
    await outcome
    ws.send(Uint8Array.of(0xff, 0x01, 0x02))
    expect(await closed).toEqual({
      code: RunnerConnectionClose.malformedFrame.code,
      reason: RunnerConnectionClose.malformedFrame.reason,
    })
    expect(fixture().tapped("fault").at(-1)?.message).toMatch(
      new RegExp(`^${RunnerConnectionClose.malformedFrame.reason}: DecodeError`),
    )
    await stillWorks()
  })

  it("a text frame closes it with RunnerConnectionClose.protocolViolation", async () => {
    const { ws, outcome, closed } = connect({ token: TOKEN })
    await outcome
    ws.send("hello")
    expect(await closed).toEqual({
      code: RunnerConnectionClose.protocolViolation.code,
      reason: RunnerConnectionClose.protocolViolation.reason,
    })
  })

  it("a message before ToServerInit closes it with RunnerConnectionClose.protocolViolation", async () => {
    const { ws, outcome, closed } = connect({ token: TOKEN })
    await outcome
    ws.send(encodeToServer({ tag: "ToServerPing", val: { ts: 1n } }, { version: LATEST_VERSION }))
    expect(await closed).toEqual({
      code: RunnerConnectionClose.protocolViolation.code,
      reason: RunnerConnectionClose.protocolViolation.reason,
    })
  })

  it("no ToServerInit in time closes it with RunnerConnectionClose.initTimeout", async () => {
    const { outcome, closed } = connect({ token: TOKEN })
    await outcome
    expect(await closed).toEqual({
      code: RunnerConnectionClose.initTimeout.code,
      reason: RunnerConnectionClose.initTimeout.reason,
    })
  })

  it("a newer connection with the same runner key evicts the older one with RunnerConnectionClose.evicted", async () => {
    const f = fixture()
    const older = await f.runner({ version: 3, token: TOKEN, runnerKey: "same" })
    const olderClosed = new Promise((resolve) =>
      older.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    )
    const newer = await f.runner({ version: 3, token: TOKEN, runnerKey: "same" })
    expect(await olderClosed).toEqual({
      code: RunnerConnectionClose.evicted.code,
      reason: RunnerConnectionClose.evicted.reason,
    })
    expect(f.gateway.runners().map((r) => r.runnerId)).toEqual([newer.runnerId])
  })
})

describe("frames for requests a runner does not serve are reported and ignored", () => {
  it("an unknown request id", async () => {
    const { runner, stillWorks } = await bystander()
    runner.sendTunnel(newId(), {
      tag: "ToServerWebSocketMessage",
      val: { data: new ArrayBuffer(1), binary: true },
    })
    await eventually(() => fixture().tapped("fault").length > 0)
    expect(fixture().tapped("fault")[0]?.message).toBe(
      "ToServerWebSocketMessage for an unknown request; ignored",
    )
    await stillWorks()
  })

  it("another runner's request: the other runner's socket stays open", async () => {
    const f = fixture()
    const { runner: owner, stillWorks } = await bystander()
    const intruder = await f.runner({ version: 3, token: TOKEN, name: "intruder" })
    const [key] = [...owner.sockets.keys()]
    const requestId = owner.sockets.get(key!)!.requestId
    intruder.sendTunnel(requestId, {
      tag: "ToServerWebSocketClose",
      val: { code: 1000, reason: "hijack", hibernate: false },
    })
    await eventually(() => f.tapped("fault").length > 0)
    expect(f.tapped("fault")[0]).toMatchObject({
      message: "ToServerWebSocketClose for a request this runner does not serve; ignored",
      runnerId: intruder.runnerId,
    })
    await stillWorks()
  })
})

describe("a runner killed mid-request", () => {
  it("fails a waiting HTTP request with 502 and leaves other runners serving", async () => {
    const f = fixture()
    const { stillWorks } = await bystander()
    const doomed = await f.runner({ version: 3, token: TOKEN, name: "doomed", http: () => null })
    const actor = f.gateway.createActor({ name: "slow", runnerName: "doomed" })
    const pending = fetch(`${f.gateway.url}/gateway/${actor.actorId}/slow`)
    await doomed.until(() => doomed.tunnelKinds("ToClientRequestStart").length === 1)
    doomed.kill()
    const response = await pending
    expect(response.status).toBe(502)
    expect(await response.json()).toMatchObject({ error: "the actor went away during the request" })
    await stillWorks()
    expect(f.gateway.getActor(actor.actorId)).toMatchObject({ state: "stopped", sockets: 0 })
  })
})

describe("stop()", () => {
  it("leaves nothing running: a process with a busy gateway exits on its own", async () => {
    const script = fileURLToPath(new URL("./support/stop-cleanly.ts", import.meta.url))
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: "pipe" })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    const exit = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL")
        resolve(null)
      }, 20_000)
      child.on("exit", (code) => {
        clearTimeout(timer)
        resolve(code)
      })
    })
    expect({ exit, output }).toEqual({ exit: 0, output: "stopped\n" })
  })
})
