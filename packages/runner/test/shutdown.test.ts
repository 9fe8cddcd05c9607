import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import {
  capabilities,
  idKey,
  RUNNER_SHUTDOWN_REASON,
  RunnerClose,
} from "@tunnelwire/protocol/pinned/v3"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import type { Runner } from "../src/index.js"
import { FakeGateway } from "./support/fake-gateway.js"
import { closeLine, onWire, settle, testRunner, versions, wire } from "./support/harness.js"

describe.each(versions)("graceful shutdown over v%i", (version) => {
  let gateway: FakeGateway
  let runner: Runner

  beforeEach(async () => {
    gateway = await FakeGateway.start()
  })

  afterEach(async () => {
    await runner.shutdown()
    await gateway.close()
  })

  it("sends ToServerStopping, lets the gateway stop the actors, then closes with the shutdown reason", async () => {
    const built = testRunner(gateway, version)
    runner = built.runner
    await runner.start()
    await gateway.startActor("actor-a")
    const { requestId } = await gateway.openWebSocket("actor-a")
    const since = gateway.frames.length
    await runner.shutdown()
    await gateway.waitFor(() => gateway.connections[0]?.closeCode !== null)
    const sequence = gateway.received(since).map((m) => {
      if (m.tag === "ToServerTunnelMessage" && idKey(m.val.requestId) === idKey(requestId)) {
        return wire(m.val.messageKind)
      }
      if (m.tag === "ToServerEvents") return m.val.map((e) => e.inner.tag).join(",")
      return m.tag
    })
    expect(sequence).toEqual([
      "ToServerStopping",
      "ToServerAckCommands",
      closeLine(RunnerClose.actorStopped),
      "EventActorStateUpdate",
    ])
    expect(built.log.stops).toEqual([{ actorId: "actor-a", generation: 0 }])
    expect(gateway.connections[0]).toMatchObject({
      closeCode: 1000,
      closeReason: RUNNER_SHUTDOWN_REASON,
    })
  })

  it("stops the actors itself when the gateway does not stop them in time", async () => {
    gateway.stopActorsOnStopping = false
    const built = testRunner(gateway, version, { shutdownTimeoutMs: 30 })
    runner = built.runner
    await runner.start()
    await gateway.startActor("actor-a")
    const since = gateway.frames.length
    await runner.shutdown()
    expect(built.log.stops).toEqual([{ actorId: "actor-a", generation: 0 }])
    await gateway.waitFor(() => gateway.connections[0]?.closeCode !== null)
    expect(gateway.received(since).map((m) => m.tag)).toEqual([
      "ToServerStopping",
      "ToServerEvents",
    ])
    expect(gateway.connections[0]?.closeReason).toBe(RUNNER_SHUTDOWN_REASON)
  })

  it("tunnel shutdown: sockets still open after the bounded wait close with RunnerClose.tunnelShutdown", async () => {
    gateway.stopActorsOnStopping = false
    const built = testRunner(gateway, version, {
      shutdownTimeoutMs: 30,
      handlers: {
        onActorStop: () => new Promise(() => {}),
        canHibernate: (_actorId, request) => new URL(request.url).pathname === "/keep",
      },
    })
    runner = built.runner
    await runner.start()
    await gateway.startActor("actor-a")
    const plain = await gateway.openWebSocket("actor-a", { path: "/plain" })
    const kept = await gateway.openWebSocket("actor-a", { path: "/keep" })
    await settle()
    const since = gateway.frames.length
    await runner.shutdown()
    await gateway.waitFor(() => gateway.connections[0]?.closeCode !== null)
    const { code, reason } = RunnerClose.tunnelShutdown
    const hibernates = kept.answer.tag === "ToServerWebSocketOpen" && kept.answer.val.canHibernate
    expect(hibernates).toBe(version >= 2)
    expect(gateway.tunnelFrom(plain.requestId, since).map(wire)).toEqual(
      onWire(version, [closeLine(RunnerClose.tunnelShutdown)]),
    )
    expect(gateway.tunnelFrom(kept.requestId, since).map(wire)).toEqual(
      hibernates ? [] : [closeLine(RunnerClose.tunnelShutdown)],
    )
    for (const { ws } of built.log.sockets) {
      expect(built.log.socketEvents.get(ws)).toEqual(["open", `close:${code}:${reason}`])
    }
  })

  it.runIf(capabilities(version).toClientClose)(
    "shuts down when the gateway sends ToClientClose",
    async () => {
      ;({ runner } = testRunner(gateway, version))
      await runner.start()
      gateway.send({ tag: "ToClientClose", val: null })
      await gateway.waitFor(() => gateway.connections[0]?.closeCode !== null)
      expect(gateway.connections[0]?.closeReason).toBe(RUNNER_SHUTDOWN_REASON)
    },
  )

  it.runIf(capabilities(version).toClientClose)(
    "on ToClientClose stops its actors itself and closes, without waiting on the gateway for them",
    async () => {
      // A wait for the gateway's stop commands would last the whole shutdown timeout.
      const built = testRunner(gateway, version, { shutdownTimeoutMs: 120_000 })
      runner = built.runner
      await runner.start()
      await gateway.startActor("actor-a")
      const since = gateway.frames.length
      gateway.send({ tag: "ToClientClose", val: null })
      await gateway.waitFor(() => gateway.connections[0]?.closeCode !== null)
      expect(gateway.connections[0]?.closeReason).toBe(RUNNER_SHUTDOWN_REASON)
      expect(built.log.stops).toEqual([{ actorId: "actor-a", generation: 0 }])
      expect(gateway.received(since).map((message) => message.tag)).not.toContain(
        "ToServerStopping",
      )
    },
  )

  it("never calls process.exit", async () => {
    const exit = vi.spyOn(process, "exit").mockImplementation(() => {
      throw new Error("process.exit called")
    })
    ;({ runner } = testRunner(gateway, version))
    await runner.start()
    await gateway.startActor("actor-a")
    await runner.shutdown()
    expect(exit).not.toHaveBeenCalled()
    exit.mockRestore()
  })
})

describe("shutdown before the gateway accepted the runner", () => {
  it("rejects start() and stops retrying", async () => {
    const gateway = await FakeGateway.start({ refuseUpgrades: 1_000 })
    const { runner } = testRunner(gateway, 3)
    const started = runner.start()
    const outcome = expect(started).rejects.toThrow(/shut down/)
    await gateway.waitFor(() => gateway.upgradeAttempts >= 2)
    await runner.shutdown()
    await outcome
    const attempts = gateway.upgradeAttempts
    await gateway.close()
    expect(attempts).toBeGreaterThanOrEqual(2)
  })

  it("resolves for a runner that was never started", async () => {
    const gateway = await FakeGateway.start()
    const { runner } = testRunner(gateway, 3)
    await runner.shutdown()
    await expect(runner.start()).rejects.toThrow(/shut down/)
    expect(gateway.upgradeAttempts).toBe(0)
    await gateway.close()
  })
})

describe("after shutdown()", () => {
  it("leaves nothing behind: a process that ran runners exits on its own", async () => {
    const fixture = fileURLToPath(new URL("./fixtures/exit-after-shutdown.ts", import.meta.url))
    const child = spawn(process.execPath, ["--import", "tsx", fixture], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    // Only a guard against hanging the suite: a process kept alive by a leak is killed and fails.
    const guard = setTimeout(() => child.kill("SIGKILL"), 20_000)
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    )
    clearTimeout(guard)
    expect({ code, signal, output }).toEqual({
      code: 0,
      signal: null,
      output: versions.map((v) => `v${v}: shut down, pending KV rejected\n`).join(""),
    })
  })
})
