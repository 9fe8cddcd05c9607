// The parent side: one forked server process of the bench (a tsx script), asked over IPC for its
// CPU time and RSS (see probe.ts). With BENCH_PROFILE=<dir> every child writes a --cpu-prof file
// there when it stops.
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { MarksAnswer, MemoryAnswer } from "./probe.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export class BenchProcess {
  readonly name: string
  readonly #child: ChildProcess
  #queue: Promise<unknown> = Promise.resolve()

  private constructor(name: string, child: ChildProcess) {
    this.name = name
    this.#child = child
  }

  /** Forks `script` and resolves with the process and the first message it sends (its address). */
  static async start<T>(
    name: string,
    script: string,
    args: readonly string[] = [],
  ): Promise<[BenchProcess, T]> {
    // One folder per process: tsx's loader thread writes a profile of its own beside the main one.
    const profileDir = process.env.BENCH_PROFILE
    const profile =
      profileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDir}/${name}`]
    const child = fork(here(script), [...args], {
      execArgv: ["--import", "tsx", "--expose-gc", ...profile],
      stdio: "inherit",
    })
    const ready = await new Promise<T>((resolve, reject) => {
      child.once("message", (message) => resolve(message as T))
      child.once("exit", (code) =>
        reject(new Error(`${name} exited with ${code} before it was ready`)),
      )
    })
    return [new BenchProcess(name, child), ready]
  }

  /** CPU time (user + system) the process has used so far, in µs. */
  cpuMicros(): Promise<number> {
    return this.#ask<{ cpuMicros: number }>("cpu").then((answer) => answer.cpuMicros)
  }

  /** Resident set size and heap in use after full collections, in bytes. */
  memory(): Promise<MemoryAnswer> {
    return this.#ask<MemoryAnswer>("rss")
  }

  /** The wake marks the process took since last asked. */
  marks(): Promise<MarksAnswer["marks"]> {
    return this.#ask<MarksAnswer>("marks").then((answer) => answer.marks)
  }

  /** Asks the process to stop; kills it if it has not exited within 5 s. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || !this.#child.connected) return
    const exited = new Promise((resolve) => this.#child.once("exit", resolve))
    this.#child.send("stop")
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 5_000)
    await exited
    clearTimeout(timer)
  }

  /** One question at a time, so each answer is matched to its question. */
  #ask<T>(question: string): Promise<T> {
    const answer = this.#queue.then(
      () =>
        new Promise<T>((resolve) => {
          this.#child.once("message", (message) => resolve(message as T))
          this.#child.send(question)
        }),
    )
    this.#queue = answer.catch(() => {})
    return answer
  }
}
