// `npm run bench -w @tunnelwire/gateway-mock`: WebSocket echo through the gateway mock and a runner
// built on the SDK (client → gateway → runner → actor → back), beside a plain `ws` echo server
// measured in the same run. Each server runs in its own process; clients run here.
import { type ChildProcess, fork, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { WebSocket } from "ws"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const TSX = ["--import", "tsx"]
const CLIENTS = 32
const WINDOW = 16
const THROUGHPUT_MESSAGES = 40_000
const LATENCY_MESSAGES = 2_000
const WAKES = 30
const HIBERNATING = 2_000
const children: ChildProcess[] = []

interface Started {
  readonly child: ChildProcess
  readonly url: string
}

function forkServer(script: string, execArgv: string[] = []): Promise<Started> {
  const profile =
    process.env.BENCH_PROFILE === undefined
      ? []
      : ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
  const child = fork(here(script), [], {
    execArgv: [...TSX, ...execArgv, ...profile],
    stdio: "inherit",
  })
  children.push(child)
  return new Promise((resolve) =>
    child.once("message", (message) => resolve({ child, url: (message as { url: string }).url })),
  )
}

function startRunner(
  gatewayUrl: string,
  persist: "off" | "kv" | "memory",
  key: string,
): Promise<ChildProcess> {
  const script = here("../test/support/echo-runner-process.ts")
  const child = spawn(process.execPath, [...TSX, script, gatewayUrl, "3", key, persist], {
    stdio: ["ignore", "pipe", "inherit"],
  })
  children.push(child)
  return new Promise((resolve) =>
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child)
    }),
  )
}

async function admin<T>(gatewayUrl: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return (await response.json()) as T
}

async function createActor(gatewayUrl: string, key: string, runnerName: string): Promise<string> {
  const { actor } = await admin<{ actor: { actorId: string } }>(gatewayUrl, "/actors", {
    name: "echo",
    key,
    runnerName,
  })
  return actor.actorId
}

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url)
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws))
    ws.once("error", reject)
  })
}

/** Messages per second with CLIENTS sockets, each keeping WINDOW messages in flight. */
async function throughput(url: string, size: number): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: CLIENTS }, () => open(url)))
  const payload = Buffer.alloc(size, 0x61)
  const perSocket = Math.floor(THROUGHPUT_MESSAGES / CLIENTS)
  const started = performance.now()
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let sent = 0
          let received = 0
          ws.on("message", () => {
            received++
            if (sent < perSocket) {
              ws.send(payload)
              sent++
            }
            if (received === perSocket) resolve()
          })
          for (; sent < Math.min(WINDOW, perSocket); sent++) ws.send(payload)
        }),
    ),
  )
  const seconds = (performance.now() - started) / 1000
  for (const ws of sockets) ws.close()
  return (perSocket * CLIENTS) / seconds
}

/** Round-trip times in ms of one socket sending one message at a time. */
async function latencies(url: string, size: number): Promise<number[]> {
  const ws = await open(url)
  const payload = Buffer.alloc(size, 0x62)
  const times: number[] = []
  for (let i = 0; i < LATENCY_MESSAGES; i++) {
    const started = performance.now()
    await new Promise((resolve) => {
      ws.once("message", resolve)
      ws.send(payload)
    })
    times.push(performance.now() - started)
  }
  ws.close()
  return times
}

/** CPU time (user + system) a process has used, in ms, from /proc; null where there is none. */
function cpuMs(child: ChildProcess): number | null {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ")
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return null
  }
}

/** Runs `measure` and returns its result with the CPU µs per message each of `processes` spent. */
async function withCpu<T>(
  processes: ChildProcess[],
  messages: number,
  measure: () => Promise<T>,
): Promise<[T, Array<number | null>]> {
  const before = processes.map(cpuMs)
  const result = await measure()
  const spent = processes.map((child, i) => {
    const [start, end] = [before[i], cpuMs(child)]
    return start === null || start === undefined || end === null
      ? null
      : ((end - start) * 1000) / messages
  })
  return [result, spent]
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function heap(gateway: ChildProcess): Promise<number> {
  gateway.send("heap")
  return new Promise((resolve) =>
    gateway.once("message", (message) => resolve((message as { heap: number }).heap)),
  )
}

async function waitForState(gatewayUrl: string, actorId: string, state: string): Promise<void> {
  for (;;) {
    const { actor } = await admin<{ actor: { state: string } }>(gatewayUrl, `/actors/${actorId}`)
    if (actor.state === state) return
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

async function main(): Promise<void> {
  const echo = await forkServer("./echo-server-process.ts")
  const gateway = await forkServer("./gateway-process.ts", ["--expose-gc"])
  const echoRunner = await startRunner(gateway.url, "off", "bench-echo")
  const actorId = await createActor(gateway.url, "throughput", "bench-echo")
  const viaGateway = `${gateway.url.replace("http", "ws")}/gateway/${actorId}/echo`

  console.log(
    `echo round trips: ${CLIENTS} sockets × ${WINDOW} in flight for throughput, 1 socket for latency\n`,
  )
  console.log("payload  path              msgs/s    p50 ms   p99 ms   CPU µs/msg (per process)")
  const ratios: string[] = []
  const messages = Math.floor(THROUGHPUT_MESSAGES / CLIENTS) * CLIENTS
  for (const size of [64, 16 * 1024]) {
    const label = size === 64 ? "64 B " : "16 KiB"
    const paths = [
      ["direct ws echo", echo.url, [echo.child], "server"],
      ["gateway + runner", viaGateway, [gateway.child, echoRunner], "gateway + runner"],
    ] as const
    const rows: Array<[string, number, number[], string]> = []
    for (const [name, url, processes, who] of paths) {
      await throughput(url, size) // warm-up
      const [rate, cpu] = await withCpu([...processes], messages, () => throughput(url, size))
      const cpuText = cpu.some((c) => c === null) ? "n/a" : cpu.map((c) => fmt(c!, 1)).join(" + ")
      rows.push([name, rate, await latencies(url, size), `${cpuText} (${who})`])
    }
    for (const [name, rate, times, cpu] of rows) {
      console.log(
        `${label.padEnd(8)} ${name.padEnd(17)} ${fmt(rate).padStart(8)} ${fmt(percentile(times, 50), 3).padStart(8)} ${fmt(percentile(times, 99), 3).padStart(8)}   ${cpu}`,
      )
    }
    const ratio = rows[1]![1] / rows[0]![1]
    ratios.push(
      `throughput ${label.trim()}: ${ratio.toFixed(2)}× direct echo (target ≥ 0.40) ${ratio >= 0.4 ? "ok" : "MISSED"}`,
    )
  }

  // Wake: a hibernatable socket's actor is put to sleep; the next message wakes it.
  const sleeper = await startRunner(gateway.url, "kv", "bench-sleeper")
  const sleepyId = await createActor(gateway.url, "sleepy", "bench-sleeper")
  const socket = await open(`${gateway.url.replace("http", "ws")}/gateway/${sleepyId}/wake`)
  // The upgrade completes before the actor runs: wait for a first echo, so it is up.
  await new Promise((resolve) => {
    socket.once("message", resolve)
    socket.send("hello")
  })
  const wakes: number[] = []
  for (let i = 0; i < WAKES; i++) {
    await admin(gateway.url, `/actors/${sleepyId}/sleep`, {})
    await waitForState(gateway.url, sleepyId, "stopped")
    const started = performance.now()
    await new Promise((resolve) => {
      socket.once("message", resolve)
      socket.send(`wake ${i}`)
    })
    wakes.push(performance.now() - started)
  }
  socket.close()
  const wakeP50 = percentile(wakes, 50)
  console.log(
    `\nwake of a hibernated socket (sleep, then one message, until its echo): p50 ${fmt(wakeP50, 2)} ms, p99 ${fmt(percentile(wakes, 99), 2)} ms over ${WAKES} wakes`,
  )

  // Heap per hibernating socket, measured in the gateway process. The runner keeps the sockets'
  // metadata in its own memory, so the gateway's heap holds only what the gateway needs.
  const crowdRunner = await startRunner(gateway.url, "memory", "bench-crowd")
  const crowdId = await createActor(gateway.url, "crowd", "bench-crowd")
  const before = await heap(gateway.child)
  const crowd: WebSocket[] = []
  for (let i = 0; i < HIBERNATING; i += 100) {
    crowd.push(
      ...(await Promise.all(
        Array.from({ length: 100 }, () =>
          open(`${gateway.url.replace("http", "ws")}/gateway/${crowdId}/c`),
        ),
      )),
    )
  }
  for (const ws of crowd) ws.send("hi")
  await Promise.all(crowd.map((ws) => new Promise((resolve) => ws.once("message", resolve))))
  await admin(gateway.url, `/actors/${crowdId}/sleep`, {})
  await waitForState(gateway.url, crowdId, "stopped")
  const after = await heap(gateway.child)
  const { actor } = await admin<{ actor: { hibernatingSockets: number } }>(
    gateway.url,
    `/actors/${crowdId}`,
  )
  const perSocket = (after - before) / actor.hibernatingSockets
  console.log(
    `heap per hibernating socket: ${fmt(perSocket / 1024, 2)} KiB (${actor.hibernatingSockets} sockets, ${fmt((after - before) / 1024 / 1024, 1)} MiB in the gateway process, client sockets included on the server side)`,
  )

  console.log("\nratios against targets")
  for (const line of ratios) console.log(`  ${line}`)
  console.log(`  wake p50: ${fmt(wakeP50, 2)} ms (target ≤ 50) ${wakeP50 <= 50 ? "ok" : "MISSED"}`)
  console.log(
    `  heap per hibernating socket: ${fmt(perSocket / 1024, 2)} KiB (target ≤ 10) ${perSocket <= 10 * 1024 ? "ok" : "MISSED"}`,
  )

  for (const ws of crowd) ws.terminate()
  sleeper.kill("SIGTERM")
  crowdRunner.kill("SIGTERM")
}

try {
  await main()
} finally {
  for (const child of children) {
    if (child.connected) child.send("stop")
    else child.kill("SIGTERM")
  }
}
