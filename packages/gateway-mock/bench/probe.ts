// The child side of the bench's questions, over IPC: how much CPU time this process has used
// (its own `process.cpuUsage()`, every thread included) and its RSS after full collections
// (run with --expose-gc), and the wake marks it took since last asked. "stop" runs `stop` and
// exits (which writes a --cpu-prof profile).
export type ProbeQuestion = "cpu" | "rss" | "marks" | "stop"
export type ProbeAnswer = { readonly cpuMicros: number } | MemoryAnswer | MarksAnswer

export interface MemoryAnswer {
  readonly rssBytes: number
  /** V8 heap in use: what the process's objects hold, beside the RSS the OS counts. */
  readonly heapBytes: number
}

/** Named moments of a wake, in ms since the epoch (`nowMs`), comparable across processes. */
export interface MarksAnswer {
  readonly marks: ReadonlyArray<{ readonly name: string; readonly atMs: number }>
}

/** Wall-clock time with sub-millisecond resolution, on the same clock in every process. */
export const nowMs = (): number => performance.timeOrigin + performance.now()

const STOP_WAIT_MS = 3_000

export function answerProbes(
  stop: () => Promise<void>,
  takeMarks: () => MarksAnswer["marks"] = () => [],
): void {
  process.on("message", async (message: ProbeQuestion) => {
    if (message === "cpu") {
      const { user, system } = process.cpuUsage()
      process.send?.({ cpuMicros: user + system })
    } else if (message === "rss") {
      for (let i = 0; i < 3; i++) globalThis.gc?.()
      await new Promise((resolve) => setTimeout(resolve, 50))
      globalThis.gc?.()
      const { rss, heapUsed } = process.memoryUsage()
      process.send?.({ rssBytes: rss, heapBytes: heapUsed } satisfies MemoryAnswer)
    } else if (message === "marks") {
      process.send?.({ marks: takeMarks() } satisfies MarksAnswer)
    } else if (message === "stop") {
      // Bounded, so the process still exits (and writes its profile) if the peer went first.
      await Promise.race([stop(), new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS))])
      process.exit(0)
    }
  })
}
