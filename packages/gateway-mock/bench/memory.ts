// Memory per socket: a fresh plain `ws` server's per idle open socket, and a fresh gateway +
// runner's per hibernating socket, each from RSS after full collections minus the same
// processes' baseline (the V8 heap in use beside it, to tell objects from allocator slack).
import { AdminClient } from "./admin-client.js"
import { BenchProcess } from "./bench-process.js"
import { echoOnce, openSockets } from "./echo-clients.js"
import type { MemoryAnswer } from "./probe.js"

/** Bytes per socket. */
export interface PerSocket {
  readonly rss: number
  readonly heap: number
}

export interface MemoryFigures {
  readonly plain: PerSocket
  readonly gateway: PerSocket
  readonly runner: PerSocket
  readonly hibernating: number
}

const perSocket = (before: MemoryAnswer, after: MemoryAnswer, sockets: number): PerSocket => ({
  rss: (after.rssBytes - before.rssBytes) / sockets,
  heap: (after.heapBytes - before.heapBytes) / sockets,
})

export async function measureMemory(round: number, sockets: number): Promise<MemoryFigures> {
  const payload = Buffer.alloc(64, 0x6d)
  const [plain, { url }] = await BenchProcess.start<{ url: string }>(
    `plain-${round}`,
    "./echo-server-process.ts",
  )
  const plainBaseline = await plain.memory()
  const idle = await openSockets(url, sockets)
  await echoOnce(idle, payload)
  const plainLoaded = await plain.memory()
  for (const ws of idle) ws.terminate()
  await plain.stop()

  const [gateway, started] = await BenchProcess.start<{ url: string }>(
    `crowd-gateway-${round}`,
    "./gateway-process.ts",
  )
  const admin = new AdminClient(started.url)
  const [runner] = await BenchProcess.start(`crowd-runner-${round}`, "./runner-process.ts", [
    started.url,
    "bench-crowd",
    "hibernate",
  ])
  const actorId = await admin.createActor("crowd", "bench-crowd")
  await admin.wake(actorId)
  await admin.until(actorId, (actor) => actor.state === "running")
  const baseline = [await gateway.memory(), await runner.memory()] as const
  const crowd = await openSockets(admin.socketUrl(actorId, "/crowd"), sockets)
  await echoOnce(crowd, payload)
  await admin.sleep(actorId)
  await admin.until(actorId, (actor) => actor.state === "stopped")
  const { hibernatingSockets } = await admin.actor(actorId)
  const loaded = [await gateway.memory(), await runner.memory()] as const
  for (const ws of crowd) ws.terminate()
  await runner.stop()
  await gateway.stop()
  return {
    plain: perSocket(plainBaseline, plainLoaded, sockets),
    gateway: perSocket(baseline[0], loaded[0], hibernatingSockets),
    runner: perSocket(baseline[1], loaded[1], hibernatingSockets),
    hibernating: hibernatingSockets,
  }
}
