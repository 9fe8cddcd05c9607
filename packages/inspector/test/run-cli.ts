import { readFileSync } from "node:fs"
import { runInspect } from "../src/cli.js"

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `tunnelwire inspect …` in process, with `stdin` as standard input. */
export async function runCli(argv: readonly string[], stdin = ""): Promise<CliRun> {
  const live = startCli(argv, { stdin })
  return live.done
}

export interface LiveCli {
  readonly stdout: () => string
  readonly stderr: () => string
  /** Resolves once standard output (or error) satisfies `condition`. */
  until(condition: (stdout: string, stderr: string) => boolean): Promise<void>
  /** Ctrl-C. */
  interrupt(): void
  readonly done: Promise<CliRun>
}

/** Starts `tunnelwire inspect …` in process, for commands that run until interrupted. */
export function startCli(
  argv: readonly string[],
  options: { readonly stdin?: string; readonly color?: boolean } = {},
): LiveCli {
  let stdout = ""
  let stderr = ""
  const waiters = new Set<() => void>()
  const changed = () => {
    for (const check of waiters) check()
  }
  const controller = new AbortController()
  const done = runInspect(argv, {
    stdout: (text) => {
      stdout += text
      changed()
    },
    stderr: (text) => {
      stderr += text
      changed()
    },
    readFile: async (path) => new Uint8Array(readFileSync(path)),
    readStdin: async () => new TextEncoder().encode(options.stdin ?? ""),
    interrupt: controller.signal,
    color: options.color ?? false,
  }).then((code) => ({ code, stdout, stderr }))
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    until: (condition) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!condition(stdout, stderr)) return
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
        check()
        done.then(({ code }) => {
          if (waiters.delete(check)) reject(new Error(`exited ${code} first; stderr: ${stderr}`))
        })
      }),
    interrupt: () => controller.abort(),
    done,
  }
}
