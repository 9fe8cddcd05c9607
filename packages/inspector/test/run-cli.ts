import { readFileSync } from "node:fs"
import { runInspect } from "../src/cli.js"

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `tunnelwire inspect …` in process, with `stdin` as standard input. */
export async function runCli(argv: readonly string[], stdin = ""): Promise<CliRun> {
  let stdout = ""
  let stderr = ""
  const code = await runInspect(argv, {
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    readFile: async (path) => new Uint8Array(readFileSync(path)),
    readStdin: async () => new TextEncoder().encode(stdin),
  })
  return { code, stdout, stderr }
}
