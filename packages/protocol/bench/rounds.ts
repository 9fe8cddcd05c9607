import { do_not_optimize, measure } from "mitata"

export interface BenchTask {
  readonly id: string
  readonly run: () => unknown
}

export interface RoundsOptions {
  /** Rounds whose figures are kept; one more runs first to warm the JIT and is dropped. */
  readonly rounds: number
  /** Minimum measuring time per task per round. */
  readonly minTimeMs: number
}

/** Nanoseconds per operation of each task, one entry per kept round, in round order. */
export type RoundSamples = ReadonlyMap<string, readonly number[]>

/**
 * Measures every task once per round, starting each round one task further along the list, so
 * a noisy moment on a shared machine lands on different tasks each round instead of always
 * penalizing the same one; medians over rounds then drop it.
 */
export async function measureInRounds(
  tasks: readonly BenchTask[],
  options: RoundsOptions,
  onRound: (round: number) => void = () => {},
): Promise<RoundSamples> {
  const samples = new Map(tasks.map((task): [string, number[]] => [task.id, []]))
  for (let round = 0; round <= options.rounds; round++) {
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[(i + round) % tasks.length]!
      const run = task.run
      const stats = await measure(() => do_not_optimize(run()), {
        min_cpu_time: options.minTimeMs * 1e6,
        // Fewer calls per timed batch than mitata's default, so slow tasks still finish quickly.
        batch_samples: 256,
        // mitata's fallback "gc" without --expose-gc allocates a 1 GiB array before each task.
        gc: false,
      })
      if (round > 0) samples.get(task.id)!.push(stats.avg)
    }
    onRound(round)
  }
  return samples
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
