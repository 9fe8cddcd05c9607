// Delivery across runner crashes: runner processes built on the SDK are SIGKILLed mid-stream
// while a client streams to a hibernatable socket. Each process logs what its actor was handed
// and keeps hibernation metadata in files, so the log is what the actor saw across every crash.
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { LATEST_VERSION } from "@tunnelwire/protocol/pinned/v3"
import { afterEach, describe, expect, it } from "vitest"
import { type Gateway, startGateway } from "../src/index.js"
import { gatewaySocketUrl, TestClient } from "./support/client.js"

/** The runner SDK's default `maxUnsavedMessages`: the duplicates one crash may cause. */
const DUPLICATES_PER_CRASH = 1

let gateway: Gateway | undefined
let dir: string | undefined
const children: ChildProcess[] = []
const clients: TestClient[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate()
  await Promise.all(children.splice(0).map(kill))
  await gateway?.stop()
  gateway = undefined
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

async function setUp(pending: number): Promise<{ client: TestClient; runner: ChildProcess }> {
  // tmpfs where there is one: a SIGKILL keeps what was written all the same, and the test
  // measures the runner rather than the disk.
  const base = existsSync("/dev/shm") ? "/dev/shm" : tmpdir()
  dir = mkdtempSync(join(base, "crash-delivery-"))
  gateway = await startGateway({
    port: 0,
    maxPendingMessages: pending,
    maxPendingBytes: 16 * 1024 * 1024,
  })
  const runner = await runnerProcess("runner-0")
  const actor = gateway.createActor({ name: "echo" })
  const client = new TestClient(gatewaySocketUrl(gateway.url, actor.actorId, "/stream"))
  clients.push(client)
  await client.opened
  return { client, runner }
}

/** A runner in its own process, resolved once it is connected. */
async function runnerProcess(runnerKey: string): Promise<ChildProcess> {
  const script = fileURLToPath(new URL("./support/crash-runner-process.ts", import.meta.url))
  const child = spawn(
    process.execPath,
    ["--import", "tsx", script, gateway!.url, String(LATEST_VERSION), runnerKey, dir!],
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

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once("exit", resolve))
  child.kill("SIGKILL")
  await exited
}

/** Every message the actors were handed, in order, across all runner processes. */
function deliveries(): string[] {
  try {
    return readFileSync(join(dir!, "delivered.log"), "utf8").split("\n").slice(0, -1)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return []
    throw error
  }
}

function distinct(): number {
  return new Set(deliveries()).size
}

/** Polls the delivery log until `condition` holds or `timeoutMs` passed; returns the wait. */
async function waitForLog(condition: () => boolean, timeoutMs: number): Promise<number> {
  const start = performance.now()
  while (!condition() && performance.now() - start < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return performance.now() - start
}

function sequence(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `seq:${from + i}`)
}

/** Each message handed to the actor more than once, and how many extra times. */
function duplicates(log: readonly string[]): number {
  return log.length - new Set(log).size
}

/** The log with repeats removed, first occurrence kept: the order the actor first saw. */
function firstSeen(log: readonly string[]): string[] {
  return [...new Set(log)]
}

describe("a runner process killed mid-stream", () => {
  it("after a SIGKILL and a new runner connecting, every message the client sent reaches the actor with no further client action", async () => {
    const total = 3_000
    const { client, runner } = await setUp(2 * total)
    const sent = sequence(0, total)
    for (const message of sent) client.send(message)
    await waitForLog(() => distinct() >= total / 4, 30_000)
    await kill(runner)
    const killedAt = deliveries().length
    expect(killedAt).toBeLessThan(total)
    await runnerProcess("runner-1")
    // Bounded, not timed: without the wake they wait for a client message that never comes.
    const resumed = await waitForLog(() => deliveries().length > killedAt, 30_000)
    const waited = resumed + (await waitForLog(() => distinct() === total, 30_000))
    console.log(
      `killed at ${killedAt}/${total} delivered; after the new runner connected: first delivery in ${Math.round(resumed)} ms, all ${total} in ${Math.round(waited)} ms`,
    )
    const log = deliveries()
    expect(firstSeen(log)).toEqual(sent)
    expect(duplicates(log)).toBeLessThanOrEqual(DUPLICATES_PER_CRASH)
    expect(client.closed).toBeNull()
  }, 60_000)

  it("10 SIGKILLs during a 5,000-message stream: none lost, at most maxUnsavedMessages duplicates per kill", async () => {
    const total = 5_000
    const kills = 10
    const chunk = total / kills
    const { client, runner } = await setUp(2 * total)
    // A runner waits connected, so each kill is followed by a new runner at once.
    let current = runner
    let standby = runnerProcess("runner-1")
    for (let k = 0; k < kills; k++) {
      for (const message of sequence(k * chunk, (k + 1) * chunk)) client.send(message)
      await waitForLog(() => distinct() >= k * chunk + chunk / 2, 30_000)
      await kill(current)
      current = await standby
      standby = runnerProcess(`runner-${k + 2}`)
    }
    await standby
    await waitForLog(() => distinct() === total, 30_000)
    const log = deliveries()
    console.log(
      `${kills} SIGKILLs, ${total} messages: ${total - new Set(log).size} lost, ${duplicates(log)} duplicates (at most ${kills * DUPLICATES_PER_CRASH} allowed)`,
    )
    expect(firstSeen(log)).toEqual(sequence(0, total))
    expect(duplicates(log)).toBeLessThanOrEqual(kills * DUPLICATES_PER_CRASH)
    expect(client.closed).toBeNull()
  }, 120_000)
})
