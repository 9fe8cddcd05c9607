import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { WebSocketServer } from "ws"
import { runCli } from "./run-cli.js"

// The tap of one hibernation cycle (see support/capture-tap-fixture.ts), replayed by a stand-in
// tap endpoint that closes once it has sent everything, so every run prints the same lines.
const fixture = readFileSync(new URL("./fixtures/hibernation.tap.jsonl", import.meta.url), "utf8")
const frames = fixture.split("\n").filter((line) => line !== "")
const chatActor = frames
  .map((line) => JSON.parse(line))
  .find((event) => event.type === "actor" && event.name === "chat").actorId as string
const goldenDir = new URL("./cli-golden/", import.meta.url)
const update = process.env.TUNNELWIRE_UPDATE_GOLDEN === "1"

function expectGolden(name: string, actual: string): void {
  const path = new URL(name, goldenDir)
  if (update || !existsSync(path)) {
    if (!update) throw new Error(`no golden output ${name}; run with TUNNELWIRE_UPDATE_GOLDEN=1`)
    mkdirSync(goldenDir, { recursive: true })
    writeFileSync(path, actual)
  }
  expect(actual).toBe(readFileSync(path, "utf8"))
}

let url: string
let close: () => Promise<void>

beforeAll(async () => {
  const server = createServer()
  const sockets = new WebSocketServer({ server, path: "/tap" })
  sockets.on("connection", (ws) => {
    for (const frame of frames) ws.send(frame)
    ws.close(1001, "replay over")
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => new Promise((resolve) => server.close(() => resolve()))
})

afterAll(async () => {
  await close()
})

describe("inspect tail output (times in UTC)", () => {
  it.each([
    { name: "tail.out", args: [] },
    { name: "tail.runner.out", args: ["--runner", "legacy-runner"] },
    { name: "tail.actor.out", args: ["--actor", "ACTOR"] },
    { name: "tail.kinds.out", args: ["--kind", "socket,fault", "--kind", "WebSocketMessageAck"] },
    { name: "tail.json.out", args: ["--json", "--kind", "socket.hibernate,socket.wake"] },
  ])("$name: $args", async ({ name, args }) => {
    const run = await runCli([
      "tail",
      url,
      ...args.map((arg) => (arg === "ACTOR" ? chatActor : arg)),
    ])
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(/the gateway went away \(close 1001 replay over\)\n$/)
    expectGolden(name, run.stdout)
  })
})
