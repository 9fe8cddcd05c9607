import { vi } from "vitest"
import { main } from "../../src/cli.ts"

export interface CliResult {
  readonly code: number
  readonly out: string
  readonly err: string
}

/** Runs one tunnelwire command line in this process, capturing what it prints. */
export async function runMain(...argv: string[]): Promise<CliResult> {
  const out: string[] = []
  const err: string[] = []
  vi.spyOn(console, "log").mockImplementation((text: string) => void out.push(`${text}\n`))
  vi.spyOn(console, "warn").mockImplementation((text: string) => void err.push(`${text}\n`))
  vi.spyOn(console, "error").mockImplementation((text: string) => void err.push(`${text}\n`))
  vi.spyOn(process.stdout, "write").mockImplementation((text) => out.push(String(text)) > 0)
  vi.spyOn(process.stderr, "write").mockImplementation((text) => err.push(String(text)) > 0)
  try {
    const code = await main(argv)
    return { code, out: out.join(""), err: err.join("") }
  } finally {
    vi.restoreAllMocks()
  }
}
