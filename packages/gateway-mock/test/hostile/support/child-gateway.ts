// Starts the gateway in a child process and watches it: a hostile test asks whether it survived.
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { WebSocket } from "ws"
import type { GatewayOptions, TapEvent } from "../../../src/index.js"

/** Starting a process through tsx takes seconds on a machine loaded by parallel test files. */
export const CHILD_START_TIMEOUT_MS = 90_000

const SCRIPT = fileURLToPath(new URL("./gateway-process.ts", import.meta.url))

export interface ChildGateway {
  readonly url: string
  readonly child: ChildProcess
  /** Set once the process exited, with its exit code or signal. */
  exit: { code: number | null; signal: string | null } | null
  /** What the process wrote to stderr (an uncaught error's stack lands here). */
  readonly stderr: string[]
  stop(): Promise<void>
}

export async function startChildGateway(options: GatewayOptions = {}): Promise<ChildGateway> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, JSON.stringify(options)], {
    stdio: ["ignore", "pipe", "pipe"],
  })
  const stderr: string[] = []
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const lines = createInterface({ input: child.stdout! })
  const url = await new Promise<string>((resolve, reject) => {
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url))
    child.once("exit", (code) => reject(new Error(`gateway exited (${code}): ${stderr.join("")}`)))
  })
  const gateway: ChildGateway = {
    url,
    child,
    exit: null,
    stderr,
    async stop() {
      if (gateway.exit === null) child.kill("SIGTERM")
      await exited
    },
  }
  child.once("exit", (code, signal) => {
    gateway.exit = { code, signal }
  })
  return gateway
}

/** Tap events of a gateway, received over its `/tap` WebSocket. */
export interface TapWatcher {
  readonly events: TapEvent[]
  faults(): Extract<TapEvent, { type: "fault" }>[]
  close(): void
}

export async function watchTap(gatewayUrl: string): Promise<TapWatcher> {
  const ws = new WebSocket(`${gatewayUrl.replace(/^http/, "ws")}/tap`)
  const events: TapEvent[] = []
  ws.on("message", (data: Buffer) => events.push(JSON.parse(data.toString("utf8")) as TapEvent))
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve())
    ws.once("error", reject)
  })
  return {
    events,
    faults: () =>
      events.filter(
        (event): event is Extract<TapEvent, { type: "fault" }> => event.type === "fault",
      ),
    close: () => ws.terminate(),
  }
}

/** Creates an actor through the admin API and returns its id. */
export async function createActor(gatewayUrl: string, name: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/actors`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, runnerName: name }),
  })
  if (response.status !== 201) throw new Error(`creating an actor: ${response.status}`)
  return ((await response.json()) as { actor: { actorId: string } }).actor.actorId
}
