export interface BackoffOptions {
  /** Delay before the first retry. Default 250 ms. */
  readonly initialDelayMs?: number
  /** Ceiling of the exponential growth. Default 15 s. */
  readonly maxDelayMs?: number
  /** Fraction of the delay taken off at random, 0 … 1, so runners restarted together spread out. Default 0.5. */
  readonly jitter?: number
}

/** Milliseconds to wait before retry number `attempt` (0-based): exponential, capped, jittered down. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number,
): number {
  const initial = options.initialDelayMs ?? 250
  const max = options.maxDelayMs ?? 15_000
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5))
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30))
  return Math.round(ceiling * (1 - jitter * random()))
}
