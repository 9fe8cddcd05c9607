import { cpuUsage } from "node:process"

export interface BenchTask {
  readonly id: string
  readonly run: () => unknown
}

export interface RoundsOptions {
  /** Rounds whose figures are kept; one more runs first to warm the JIT and is dropped. */
  readonly rounds: number
  /** Minimum CPU time per task per round. */
  readonly minCpuMs: number
}

/** CPU nanoseconds per operation of each task, one entry per kept round, in round order. */
export type RoundSamples = ReadonlyMap<string, readonly number[]>

/** Keeps results alive so the engine cannot drop the work that made them. */
let sink: unknown
export function lastResult(): unknown {
  return sink
}

/**
 * Measures every task once per round, starting each round one task further along the list, so
 * a noisy moment on a shared machine lands on different tasks each round; ratios are then taken
 * within each round and their median reported. Time is this process's CPU time (user + system,
 * `process.cpuUsage()`), not wall time: other processes on a loaded machine do not count.
 */
export function measureInRounds(
  tasks: readonly BenchTask[],
  options: RoundsOptions,
  onRound: (round: number) => void = () => {},
): RoundSamples {
  const samples = new Map(tasks.map((task): [string, number[]] => [task.id, []]))
  const batches = new Map(tasks.map((task): [string, number] => [task.id, 1]))
  for (let round = 0; round <= options.rounds; round++) {
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[(i + round) % tasks.length]!
      const nsPerOp = measureTask(task, options.minCpuMs, batches)
      if (round > 0) samples.get(task.id)!.push(nsPerOp)
    }
    onRound(round)
  }
  return samples
}

/** Present when node runs with `--expose-gc`, as `npm run bench` does. */
const collectGarbage = (globalThis as { gc?: () => void }).gc

function measureTask(task: BenchTask, minCpuMs: number, batches: Map<string, number>): number {
  // Garbage the previous task left (16 KiB buffers by the thousand) is collected before this
  // one starts, so its collection is not billed to whichever task happens to run next; then
  // the task runs unmeasured for a quarter of its time, for the heap to regrow to its pace.
  collectGarbage?.()
  const run = task.run
  let batch = batches.get(task.id)!
  let operations = 0
  let spentUs = 0
  for (const warmUpStart = cpuUsage(); ; ) {
    for (let i = 0; i < batch; i++) sink = run()
    const spent = cpuUsage(warmUpStart)
    if (spent.user + spent.system >= minCpuMs * 250) break
  }
  while (spentUs < minCpuMs * 1000) {
    const start = cpuUsage()
    for (let i = 0; i < batch; i++) sink = run()
    const spent = cpuUsage(start)
    spentUs += spent.user + spent.system
    operations += batch
    // Batches of at least ~2 ms, so the clock's resolution does not matter.
    if (spent.user + spent.system < 2000) batch *= 2
  }
  batches.set(task.id, batch)
  return (spentUs * 1000) / operations
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export interface Ratio {
  readonly value: number
  readonly low: number
  readonly high: number
}

/** Median and range over rounds of `ops/s of numerator ÷ ops/s of denominator`, paired by round. */
export function opsRatio(samples: RoundSamples, numeratorId: string, denominatorId: string): Ratio {
  return pairedRatio(samples.get(numeratorId)!, samples.get(denominatorId)!)
}

/** Per round: `denominator ns ÷ numerator ns`, i.e. how many times faster the numerator is. */
export function pairedRatio(numerator: readonly number[], denominator: readonly number[]): Ratio {
  const perRound = numerator.map((ns, round) => denominator[round]! / ns)
  return { value: median(perRound), low: Math.min(...perRound), high: Math.max(...perRound) }
}

/** Per round, the fastest of several tasks: the best a baseline can do that round. */
export function bestOf(samples: RoundSamples, ids: readonly string[]): number[] {
  const rounds = samples.get(ids[0]!)!.length
  return Array.from({ length: rounds }, (_, round) =>
    Math.min(...ids.map((id) => samples.get(id)![round]!)),
  )
}
