// `npm run bench -w @tunnelwire/gateway-mock [-- --check]`: WebSocket echo through the gateway
// mock and a runner built on the SDK (client → gateway → runner → actor → back), beside a plain
// `ws` echo server, in the same run and in interleaved rounds. Each server is its own process and
// reports its own CPU time; the clients run here. Prints figures; with --check it exits 1 when a
// target of issue #13 is missed (without, it never fails on a figure). `--only=wake,memory` runs
// only the parts named (load, scale, wake, memory), for a quicker look at one of them.
import { spawnSync } from "node:child_process"
import { cpus, loadavg } from "node:os"
import type { WebSocket } from "ws"
import { AdminClient } from "./admin-client.js"
import { BenchProcess } from "./bench-process.js"
import { echoOnce, openSockets, runEchoLoad } from "./echo-clients.js"
import { type MemoryFigures, measureMemory } from "./memory.js"
import { nowMs } from "./probe.js"
import { fmt, fmtSpread, median, percentile, type Spread, spread } from "./stats.js"

const CHECK = process.argv.includes("--check")
const PARTS = ["load", "scale", "wake", "memory"] as const
type Part = (typeof PARTS)[number]
const ONLY = selectedParts(process.argv)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const CLIENTS = 32
const WINDOW = 16
const SIZES = [64, 16 * 1024] as const
const MESSAGES_PER_TASK: Record<(typeof SIZES)[number], number> = { 64: 16_000, 16384: 4_000 }
const SCALE = [1, 10, 100, 1_000] as const
const MOST_SOCKETS = 1_000
const SCALE_MESSAGES = 4_000
const WAKES_PER_ROUND = 6
const HIBERNATING = Number(process.env.BENCH_SOCKETS ?? 10_000)
const MEMORY_ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 1)
const TARGETS = { cpuRatio: 5, throughputRatio: 0.3, rssRatio: 1.5, wakeP50Ms: 5 }

/** The parts `--only=a,b` names (every part without it); an unknown name is an error. */
function selectedParts(argv: readonly string[]): ReadonlySet<Part> {
  const flag = argv.find((arg) => arg.startsWith("--only="))
  if (flag === undefined) return new Set(PARTS)
  const names = flag.slice("--only=".length).split(",")
  const unknown = names.filter((name) => !(PARTS as readonly string[]).includes(name))
  if (unknown.length > 0)
    throw new Error(`--only: unknown part ${unknown.join(", ")} (parts: ${PARTS.join(", ")})`)
  return new Set(names as Part[])
}

type Path = "direct" | "tunnel"
const PATH_NAMES: Record<Path, string> = { direct: "direct ws echo", tunnel: "gateway + runner" }

/** 10,000 client sockets need more descriptors than many shells allow: re-run with the hard limit. */
function ensureDescriptors(needed: number): void {
  const soft = Number(spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).stdout.trim())
  if (!(soft < needed) || process.env.BENCH_FDS_RAISED === "1") return
  const rerun = spawnSync(
    "sh",
    [
      "-c",
      'ulimit -n "$(ulimit -Hn)"; exec "$@"',
      "sh",
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: "inherit", env: { ...process.env, BENCH_FDS_RAISED: "1" } },
  )
  process.exit(rerun.status ?? 1)
}

const selfCpuMicros = () => {
  const { user, system } = process.cpuUsage()
  return user + system
}

const loadText = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ")

interface TaskFigures {
  readonly rate: number
  readonly p50: number
  readonly p99: number
  /** CPU µs per message of each server process, by name. */
  readonly serverCpu: Record<string, number>
  readonly clientCpu: number
}

/** One measured load: the servers' and the clients' CPU time around it, per message. */
async function measure(
  sockets: readonly WebSocket[],
  servers: readonly BenchProcess[],
  perSocket: number,
  window: number,
  payload: Buffer,
): Promise<TaskFigures> {
  const before = await Promise.all(servers.map((server) => server.cpuMicros()))
  const clientBefore = selfCpuMicros()
  const result = await runEchoLoad(sockets, { perSocket, window, payload })
  const clientAfter = selfCpuMicros()
  const after = await Promise.all(servers.map((server) => server.cpuMicros()))
  const serverCpu: Record<string, number> = {}
  servers.forEach((server, i) => {
    serverCpu[server.name] = (after[i]! - before[i]!) / result.messages
  })
  return {
    rate: result.messages / result.seconds,
    p50: percentile(result.roundTrips, 50),
    p99: percentile(result.roundTrips, 99),
    serverCpu,
    clientCpu: (clientAfter - clientBefore) / result.messages,
  }
}

const totalCpu = (figures: TaskFigures) =>
  Object.values(figures.serverCpu).reduce((sum, value) => sum + value, 0)

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}

interface Wake {
  readonly ms: number
  /** The wake's timeline: each step's time since the one before, in ms, by the step's name. */
  readonly steps: ReadonlyArray<readonly [string, number]>
  /** CPU µs the gateway and the runner spent on the wake (their probes' answers included). */
  readonly cpu: { readonly gateway: number; readonly runner: number }
  /**
   * For scale, after the same idle time as the sleep: one echo through the tunnel with the actor
   * awake, and one from the direct server (processes that sat idle wake slowly on a loaded machine).
   */
  readonly idleEcho: {
    readonly tunnel: number
    readonly direct: number
    /** CPU µs of the tunnel's echo, measured as the wake's is. */
    readonly cpu: { readonly gateway: number; readonly runner: number }
  }
}

const IDLE_MS = 50

/** One message until its echo, in ms, after `IDLE_MS` of nothing. */
async function echoAfterIdle(socket: WebSocket): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
  const started = performance.now()
  await new Promise((resolve) => {
    socket.once("message", resolve)
    socket.send("idle")
  })
  return performance.now() - started
}

/**
 * Sleeps the actor, then times one message until its echo: the wake of a hibernated socket. The
 * runner's marks split it into steps (the gateway's share is in the steps between processes).
 */
async function measureWake(
  admin: AdminClient,
  actorId: string,
  socket: WebSocket,
  direct: WebSocket,
  gateway: BenchProcess,
  runner: BenchProcess,
  n: number,
): Promise<Wake> {
  await admin.sleep(actorId)
  await admin.until(actorId, (actor) => actor.state === "stopped")
  await runner.marks()
  const cpuBefore = await Promise.all([gateway.cpuMicros(), runner.cpuMicros()])
  const startedAt = nowMs()
  const started = performance.now()
  await new Promise((resolve) => {
    socket.once("message", resolve)
    socket.send(`wake ${n}`)
  })
  const ms = performance.now() - started
  const cpuAfter = await Promise.all([gateway.cpuMicros(), runner.cpuMicros()])
  const marks = [
    { name: "client sent", atMs: startedAt },
    ...(await runner.marks()),
    { name: "client got the echo", atMs: startedAt + ms },
  ]
  const steps = marks
    .slice(1)
    .map((mark, i) => [`${marks[i]!.name} → ${mark.name}`, mark.atMs - marks[i]!.atMs] as const)
  const cpu = { gateway: cpuAfter[0] - cpuBefore[0], runner: cpuAfter[1] - cpuBefore[1] }
  const idleBefore = await Promise.all([gateway.cpuMicros(), runner.cpuMicros()])
  const tunnel = await echoAfterIdle(socket)
  const idleAfter = await Promise.all([gateway.cpuMicros(), runner.cpuMicros()])
  const idleEcho = {
    tunnel,
    direct: await echoAfterIdle(direct),
    cpu: { gateway: idleAfter[0] - idleBefore[0], runner: idleAfter[1] - idleBefore[1] },
  }
  return { ms, steps, cpu, idleEcho }
}

async function main(): Promise<number> {
  const through = ONLY.has("load") || ONLY.has("scale")
  ensureDescriptors((ONLY.has("memory") ? HIBERNATING : 0) + (through ? 2 * MOST_SOCKETS : 0) + 200)
  const loadAtStart = loadText()
  const processes: BenchProcess[] = []
  const sockets: Record<Path, WebSocket[]> = { direct: [], tunnel: [] }
  let sleepy: WebSocket | undefined
  let direct: WebSocket | undefined
  try {
    const [echo, { url: echoUrl }] = await BenchProcess.start<{ url: string }>(
      "server",
      "./echo-server-process.ts",
    )
    processes.push(echo)
    const [gateway, { url: gatewayUrl }] = await BenchProcess.start<{ url: string }>(
      "gateway",
      "./gateway-process.ts",
    )
    processes.push(gateway)
    const admin = new AdminClient(gatewayUrl)
    const [runner] = await BenchProcess.start("runner", "./runner-process.ts", [
      gatewayUrl,
      "bench-echo",
      "echo",
    ])
    processes.push(runner)
    const [sleeper] = await BenchProcess.start("sleeper", "./runner-process.ts", [
      gatewayUrl,
      "bench-sleeper",
      "hibernate",
    ])
    processes.push(sleeper)
    const versions = await admin.runnerVersions()
    const servers: Record<Path, BenchProcess[]> = { direct: [echo], tunnel: [gateway, runner] }

    const echoActor = await admin.createActor("throughput", "bench-echo")
    if (through) {
      sockets.direct = await openSockets(echoUrl, MOST_SOCKETS)
      sockets.tunnel = await openSockets(admin.socketUrl(echoActor, "/echo"), MOST_SOCKETS)
    }
    const sleepyActor = await admin.createActor("sleepy", "bench-sleeper")
    ;[sleepy] = await openSockets(admin.socketUrl(sleepyActor, "/wake"), 1)
    ;[direct] = await openSockets(echoUrl, 1)
    await echoOnce([sleepy!], Buffer.from("hello"))

    // Warm-up, unmeasured: every path and size once, so the JIT has seen the code.
    if (through)
      for (const path of ["direct", "tunnel"] as const)
        for (const size of SIZES)
          await runEchoLoad(sockets[path].slice(0, CLIENTS), {
            perSocket: 200,
            window: WINDOW,
            payload: Buffer.alloc(size, 0x61),
          })
    if (ONLY.has("wake"))
      await measureWake(admin, sleepyActor, sleepy!, direct!, gateway, sleeper, -1)

    const load: Record<string, TaskFigures[]> = {}
    const scale: Record<string, TaskFigures[]> = {}
    const wakes: Wake[] = []
    const wakeMedians: number[] = []
    const record = (table: Record<string, TaskFigures[]>, key: string, figures: TaskFigures) => {
      table[key] ??= []
      table[key].push(figures)
    }
    for (let round = 0; round < ROUNDS && (through || ONLY.has("wake")); round++) {
      const tasks = SIZES.flatMap((size) =>
        (["direct", "tunnel"] as const).map((path) => ({ size, path })),
      )
      for (const { size, path } of ONLY.has("load") ? rotate(tasks, round) : []) {
        const perSocket = MESSAGES_PER_TASK[size]! / CLIENTS
        const figures = await measure(
          sockets[path].slice(0, CLIENTS),
          servers[path],
          perSocket,
          WINDOW,
          Buffer.alloc(size, 0x61),
        )
        record(load, `${size} ${path}`, figures)
      }
      const scaleTasks = SCALE.flatMap((count) =>
        (["direct", "tunnel"] as const).map((path) => ({ count, path })),
      )
      for (const { count, path } of ONLY.has("scale") ? rotate(scaleTasks, round) : []) {
        const perSocket = Math.max(4, Math.ceil(SCALE_MESSAGES / count))
        const figures = await measure(
          sockets[path].slice(0, count),
          servers[path],
          perSocket,
          1,
          Buffer.alloc(64, 0x73),
        )
        record(scale, `${count} ${path}`, figures)
      }
      if (ONLY.has("wake")) {
        const roundWakes: Wake[] = []
        for (let i = 0; i < WAKES_PER_ROUND; i++)
          roundWakes.push(
            await measureWake(admin, sleepyActor, sleepy!, direct!, gateway, sleeper, wakes.length),
          )
        wakes.push(...roundWakes)
        wakeMedians.push(median(roundWakes.map((wake) => wake.ms)))
      }
      process.stderr.write(`round ${round + 1} of ${ROUNDS} done (load ${loadText()})\n`)
    }
    for (const ws of [...sockets.direct, ...sockets.tunnel, sleepy!]) ws.terminate()
    sockets.direct = []
    sockets.tunnel = []

    const memory: MemoryFigures[] = []
    for (let round = 0; round < (ONLY.has("memory") ? MEMORY_ROUNDS : 0); round++)
      memory.push(await measureMemory(round, HIBERNATING))

    return report({ versions, loadAtStart, load, scale, wakes, wakeMedians, memory })
  } finally {
    for (const ws of [...sockets.direct, ...sockets.tunnel]) ws.terminate()
    sleepy?.terminate()
    direct?.terminate()
    // Runners before their gateway, so they shut down gracefully.
    for (const child of processes.reverse()) await child.stop()
  }
}

interface Figures {
  readonly versions: number[]
  readonly loadAtStart: string
  readonly load: Record<string, TaskFigures[]>
  readonly scale: Record<string, TaskFigures[]>
  readonly wakes: Wake[]
  readonly wakeMedians: number[]
  readonly memory: MemoryFigures[]
}

function report(figures: Figures): number {
  const { load, scale } = figures
  const over = (rounds: TaskFigures[], pick: (figures: TaskFigures) => number): Spread =>
    spread(rounds.map(pick))
  const paired = (
    a: TaskFigures[],
    b: TaskFigures[],
    ratio: (x: TaskFigures, y: TaskFigures) => number,
  ) => spread(a.map((x, i) => ratio(x, b[i]!)))
  const out = (line = "") => console.log(line)

  out(
    `tunnel echo benchmark: node ${process.version}, ${cpus().length} CPUs, runner protocol v${[...new Set(figures.versions)].join(", v")}`,
  )
  out(`load average ${figures.loadAtStart} at the start, ${loadText()} at the end (1, 5, 15 min)`)
  out(`${ROUNDS} interleaved rounds; each figure is the median over rounds (min–max)`)
  out()
  if (ONLY.has("load"))
    out(
      `${CLIENTS} sockets × ${WINDOW} in flight; CPU µs per message from each process's own CPU time`,
    )
  const targets: Array<[string, boolean]> = []
  for (const size of ONLY.has("load") ? SIZES : []) {
    const label = size === 64 ? "64 B" : "16 KiB"
    const direct = load[`${size} direct`]!
    const tunnel = load[`${size} tunnel`]!
    for (const [path, rounds] of [
      ["direct", direct],
      ["tunnel", tunnel],
    ] as const) {
      const cpu = Object.keys(rounds[0]!.serverCpu)
        .map((name) => `${name} ${fmtSpread(over(rounds, (f) => f.serverCpu[name]!))}`)
        .join(" + ")
      out(
        `  ${label.padEnd(7)}${PATH_NAMES[path].padEnd(17)} ${fmtSpread(
          over(rounds, (f) => f.rate),
          0,
        )} msgs/s`,
      )
      out(
        `  ${"".padEnd(24)} round trip p50 ${fmtSpread(
          over(rounds, (f) => f.p50),
          2,
        )} ms, p99 ${fmtSpread(
          over(rounds, (f) => f.p99),
          2,
        )} ms`,
      )
      out(
        `  ${"".padEnd(24)} server CPU µs/msg: ${cpu}${rounds[0]!.serverCpu.runner === undefined ? "" : ` = ${fmtSpread(over(rounds, totalCpu))}`}`,
      )
      out(
        `  ${"".padEnd(24)} clients' CPU µs/msg (not counted): ${fmtSpread(over(rounds, (f) => f.clientCpu))}`,
      )
    }
    const cpuRatio = paired(tunnel, direct, (t, d) => totalCpu(t) / totalCpu(d))
    const rateRatio = paired(tunnel, direct, (t, d) => t.rate / d.rate)
    out(
      `  ${label}: gateway + runner CPU ${fmtSpread(cpuRatio, 2)}× the direct server's; throughput ${fmtSpread(rateRatio, 2)}× direct`,
    )
    if (size === 64)
      targets.push([
        `CPU per 64 B echo ${fmt(cpuRatio.median, 2)}× direct (target ≤ ${TARGETS.cpuRatio}×)`,
        cpuRatio.median <= TARGETS.cpuRatio,
      ])
    targets.push([
      `throughput ${label} ${fmt(rateRatio.median, 2)}× direct (target ≥ ${TARGETS.throughputRatio}×)`,
      rateRatio.median >= TARGETS.throughputRatio,
    ])
    out()
  }

  if (ONLY.has("scale")) {
    out("scale: N sockets × 1 in flight, 64 B")
    out(
      `  ${"sockets".padEnd(8)}${"path".padEnd(18)}${"msgs/s".padEnd(26)}${"p50 ms".padEnd(24)}p99 ms`,
    )
    for (const count of SCALE) {
      for (const path of ["direct", "tunnel"] as const) {
        const rounds = scale[`${count} ${path}`]!
        out(
          `  ${fmt(count).padEnd(8)}${PATH_NAMES[path].padEnd(18)}${fmtSpread(
            over(rounds, (f) => f.rate),
            0,
          ).padEnd(26)}${fmtSpread(
            over(rounds, (f) => f.p50),
            2,
          ).padEnd(24)}${fmtSpread(
            over(rounds, (f) => f.p99),
            2,
          )}`,
        )
      }
    }
    out()
  }
  if (ONLY.has("wake")) {
    const wakeMs = figures.wakes.map((wake) => wake.ms)
    const wakeP50 = median(wakeMs)
    out(
      `wake of a hibernated socket (actor asleep; one message until its echo), ${wakeMs.length} wakes: p50 ${fmt(wakeP50, 2)} ms (round medians ${fmt(Math.min(...figures.wakeMedians), 2)}–${fmt(Math.max(...figures.wakeMedians), 2)}), p99 ${fmt(percentile(wakeMs, 99), 2)} ms`,
    )
    const wakeCpu = (pick: (wake: Wake) => number) => fmtSpread(spread(figures.wakes.map(pick)), 0)
    out(
      `  CPU µs per wake: gateway ${wakeCpu((w) => w.cpu.gateway)}, runner ${wakeCpu((w) => w.cpu.runner)}`,
    )
    out(
      `  for scale, one echo after ${IDLE_MS} ms idle: through the awake tunnel p50 ${fmt(median(figures.wakes.map((w) => w.idleEcho.tunnel)), 2)} ms (CPU µs gateway ${wakeCpu((w) => w.idleEcho.cpu.gateway)}, runner ${wakeCpu((w) => w.idleEcho.cpu.runner)}), direct server p50 ${fmt(median(figures.wakes.map((w) => w.idleEcho.direct)), 2)} ms`,
    )
    out("  timeline, ms from the step before: median (min–max) over the wakes")
    for (const [i, [step]] of (figures.wakes[0]?.steps ?? []).entries())
      out(`    ${step.padEnd(64)}${fmtSpread(spread(figures.wakes.map((w) => w.steps[i]![1])), 2)}`)
    targets.push([
      `wake p50 ${fmt(wakeP50, 2)} ms (target ≤ ${TARGETS.wakeP50Ms} ms)`,
      wakeP50 <= TARGETS.wakeP50Ms,
    ])
    out()
  }
  if (ONLY.has("memory")) {
    const memory = figures.memory
    const kib = (pick: (m: MemoryFigures) => number) =>
      fmtSpread(spread(memory.map((m) => pick(m) / 1024)), 2)
    const rssRatio = spread(memory.map((m) => (m.gateway.rss + m.runner.rss) / m.plain.rss))
    out(
      `memory at ${fmt(HIBERNATING)} sockets, KiB per socket: RSS after full collections minus the same processes' baseline (V8 heap in use beside it), ${memory.length} round(s), fresh processes each`,
    )
    out(
      `  plain ws server, idle open sockets:      ${kib((m) => m.plain.rss)} (heap ${kib((m) => m.plain.heap)})`,
    )
    out(
      `  gateway + runner, hibernating sockets:  ${kib((m) => m.gateway.rss + m.runner.rss)} (heap ${kib((m) => m.gateway.heap + m.runner.heap)}); ${memory.map((m) => m.hibernating).join(", ")} hibernating`,
    )
    out(`    gateway ${kib((m) => m.gateway.rss)} (heap ${kib((m) => m.gateway.heap)})`)
    out(`    runner  ${kib((m) => m.runner.rss)} (heap ${kib((m) => m.runner.heap)})`)
    out(`  ratio ${fmtSpread(rssRatio, 2)}×`)
    targets.push([
      `RSS per hibernating socket ${fmt(rssRatio.median, 2)}× a plain ws idle socket (target ≤ ${TARGETS.rssRatio}×)`,
      rssRatio.median <= TARGETS.rssRatio,
    ])
    out()
  }

  out("targets (issue #13, medians)")
  for (const [line, met] of targets) out(`  ${met ? "ok     " : "MISSED "} ${line}`)
  const missed = targets.filter(([, met]) => !met).length
  return CHECK && missed > 0 ? 1 : 0
}

process.exitCode = await main()
