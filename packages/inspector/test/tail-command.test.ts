import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { startGateway } from "@tunnelwire/gateway-mock"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parseSession } from "../web/session-file.js"
import { type CliRun, startCli } from "./run-cli.js"
import {
  CHAT_RUNNER,
  type ChatResult,
  type ChatWorld,
  CURRENT_RUNNER,
  GOODBYE,
  LEGACY_RUNNER,
  playHibernation,
  startChatWorld,
} from "./support/chat-world.js"

let world: ChatWorld
let chat: ChatResult
let otherActorId: string

beforeAll(async () => {
  world = await startChatWorld()
  chat = await playHibernation(world, "room-1")
  const other = world.gateway.createActor({ name: "status", runnerName: LEGACY_RUNNER })
  otherActorId = other.actorId
  const response = await fetch(`${world.gateway.url}/gateway/${other.actorId}/status`)
  expect(await response.text()).toBe("hello from /status")
  const current = world.gateway.createActor({ name: "status", runnerName: CURRENT_RUNNER })
  const answer = await fetch(`${world.gateway.url}/gateway/${current.actorId}/current`)
  expect(await answer.text()).toBe("hello from /current")
})

afterAll(async () => {
  await world?.stop()
})

/** Tails the gateway's kept history until a line satisfies `last`, then presses Ctrl-C. */
async function tailHistory(
  args: readonly string[],
  last: (line: string) => boolean,
): Promise<CliRun> {
  const cli = startCli(["tail", world.gateway.url, ...args])
  await cli.until((stdout) => stdout.split("\n").some(last))
  cli.interrupt()
  return cli.done
}

const lines = (run: CliRun) => run.stdout.split("\n").filter((line) => line !== "")
const kindColumn = (line: string) => / (?:[0-9a-f]{8}|-{8}) (\S+)/.exec(line)?.[1]

describe("inspect tail against a gateway mock", () => {
  it("prints one line per event: time, runner, version, direction, short request id, kind, text", async () => {
    const run = await tailHistory([], (line) => line.includes("socket.close"))
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(
      /^following ws:\/\/127\.0\.0\.1:\d+\/tap\?history=1 \(Ctrl-C to stop\)\nstopped\n$/,
    )
    const message = lines(run).find((line) => line.includes("ToClientWebSocketMessage"))
    expect(message).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${CHAT_RUNNER}\\s+v3 → ${chat.requestId.slice(0, 8)} ToClientWebSocketMessage\\s+ToClientTunnelMessage\\{requestId: ${chat.requestId.slice(0, 8)}…\\(16\\)`,
      ),
    )
    expect(
      lines(run).some((line) => / ← [0-9a-f]{8} ToServerWebSocketMessageAck /.test(line)),
    ).toBe(true)
    expect(lines(run).find((line) => line.includes("socket.close"))).toMatch(
      new RegExp(
        `^\\S+ ${CHAT_RUNNER}\\s+v3   ${chat.requestId.slice(0, 8)} socket.close\\s+/chat actor=${chat.actorId} pending=\\d+ ${GOODBYE.code} "${GOODBYE.reason}"$`,
      ),
    )
    expect(run.stdout).not.toContain("\u001b[")
  })

  it("--kind socket shows the socket's open, hibernate, wake and close, with the close code and reason", async () => {
    const run = await tailHistory(["--kind", "socket"], (line) => line.includes("socket.close"))
    expect(lines(run).map(kindColumn)).toEqual([
      "socket.open",
      "socket.hibernate",
      "socket.wake",
      "socket.close",
    ])
    expect(
      lines(run).every(
        (line) => line.includes(` ${CHAT_RUNNER} `) || line.includes("socket.close"),
      ),
    ).toBe(true)
    expect(lines(run).at(-1)).toContain(`${GOODBYE.code} "${GOODBYE.reason}"`)
  })

  it("--kind takes comma-separated and repeated kinds, with or without their direction prefix", async () => {
    const run = await tailHistory(
      [
        "--kind",
        "WebSocketMessage,socket.wake",
        "--kind",
        "ToServerWebSocketMessageAck",
        "--request",
        chat.requestId.slice(0, 8),
      ],
      (line) => line.includes("socket.wake"),
    )
    const kinds = new Set(lines(run).map(kindColumn))
    expect(kinds).toEqual(
      new Set([
        "ToClientWebSocketMessage",
        "ToServerWebSocketMessage",
        "ToServerWebSocketMessageAck",
        "socket.wake",
      ]),
    )
  })

  it("--runner keeps one runner's frames and events, named by name or key", async () => {
    const run = await tailHistory(["--runner", LEGACY_RUNNER], (line) =>
      line.includes("ToServerResponseStart"),
    )
    expect(lines(run).length).toBeGreaterThan(3)
    expect(lines(run).every((line) => line.split(/\s+/)[1] === LEGACY_RUNNER)).toBe(true)
    expect(lines(run)[0]).toContain("ToServerInit")
    expect(run.stdout).toMatch(/ v2 → [0-9a-f]{8} ToClientRequestStart /)
  })

  it("--actor keeps the actor's commands, sockets and tunneled frames, and nothing of other actors", async () => {
    const run = await tailHistory(["--actor", chat.actorId], (line) =>
      line.includes("socket.close"),
    )
    const kinds = lines(run).map(kindColumn)
    expect(kinds).toEqual(
      expect.arrayContaining([
        "actor.created",
        "CommandStartActor",
        "ToClientWebSocketOpen",
        "socket.hibernate",
        "CommandStopActor",
      ]),
    )
    expect(run.stdout).not.toContain(otherActorId)
    expect(run.stdout).not.toContain("RequestStart")
  })

  it("shows each runner's protocol version, v7 beside v3 and v2", async () => {
    const current = await tailHistory(["--version", "7", "--kind", "frame"], (line) =>
      line.includes("ToServerResponseStart"),
    )
    expect(lines(current).length).toBeGreaterThan(2)
    for (const line of lines(current)) expect(line).toMatch(new RegExp(` ${CURRENT_RUNNER}\\s+v7 `))
    const connected = await tailHistory(["--kind", "runner.connected"], (line) =>
      line.includes(`connected ${CURRENT_RUNNER} `),
    )
    const shown = [CHAT_RUNNER, LEGACY_RUNNER, CURRENT_RUNNER].map((name) =>
      lines(connected)
        .find((line) => line.includes(`connected ${name} key=`))
        ?.match(new RegExp(` ${name}\\s+(v\\d) .* (v\\d)$`))
        ?.slice(1),
    )
    expect(shown).toEqual([
      ["v3", "v3"],
      ["v2", "v2"],
      ["v7", "v7"],
    ])
  })

  it("--json prints the tap's events as JSON lines, filtered", async () => {
    const run = await tailHistory(["--json", "--kind", "socket.hibernate,socket.wake"], (line) =>
      line.includes('"wake"'),
    )
    const events = lines(run).map((line) => JSON.parse(line))
    expect(events).toMatchObject([
      { type: "socket", event: "hibernate", requestId: chat.requestId, actorId: chat.actorId },
      { type: "socket", event: "wake", requestId: chat.requestId, actorId: chat.actorId },
    ])
    expect(events[0].seq).toBeLessThan(events[1].seq)
  })

  it("--version and --filter narrow with the page's query syntax: key:value terms and free words", async () => {
    const legacy = await tailHistory(["--version", "2", "--kind", "frame"], (line) =>
      line.includes("ToServerResponseStart"),
    )
    expect(lines(legacy).length).toBeGreaterThan(2)
    expect(lines(legacy).every((line) => line.includes(` ${LEGACY_RUNNER} `))).toBe(true)
    const words = await tailHistory(
      ["--filter", `kind:WebSocketMessage request:${chat.requestId.slice(0, 8)} "ARE you"`],
      (line) => line.includes("ToServerWebSocketMessage"),
    )
    expect(lines(words).map(kindColumn)).toEqual([
      "ToClientWebSocketMessage",
      "ToServerWebSocketMessage",
    ])
    expect(lines(words).every((line) => line.includes("are you"))).toBe(true)
  })

  it("--out writes the events shown to a session file that inspect ui --file reads", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunnelwire-tail-out-"))
    const file = join(dir, "session.jsonl")
    const run = await tailHistory(["--out", file, "--kind", "socket"], (line) =>
      line.includes("socket.close"),
    )
    const { header, events } = parseSession(readFileSync(file, "utf8"))
    expect(header).toMatchObject({ format: "tunnelwire-inspector-session", formatVersion: 1 })
    expect(header.source).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/tap\?history=1$/)
    expect(events.map((event) => `${event.type}.${"event" in event ? event.event : ""}`)).toEqual([
      "socket.open",
      "socket.hibernate",
      "socket.wake",
      "socket.close",
    ])
    expect(lines(run)).toHaveLength(4)
    rmSync(dir, { recursive: true, force: true })
  })

  it("refuses an unknown --kind in one line, with a guess and the valid kinds", async () => {
    const run = await startCli(["tail", world.gateway.url, "--kind", "WebSocketMesage"]).done
    expect(run.code).toBe(1)
    const [first, ...choices] = run.stderr.trimEnd().split("\n")
    expect(first).toBe(
      'unknown --kind "WebSocketMesage" (did you mean WebSocketMessage?); valid kinds:',
    )
    expect(choices[0]).toBe("  types: frame, runner, actor, socket, request, fault")
    expect(choices[1]).toContain("socket.hibernate")
    expect(choices[2]).toContain("ToClientWebSocketMessage")
    expect(run.stdout).toBe("")
  })

  it("colors the line on a terminal", async () => {
    const cli = startCli(["tail", world.gateway.url, "--kind", "socket.hibernate"], { color: true })
    await cli.until((stdout) => stdout.includes("socket.hibernate"))
    cli.interrupt()
    const run = await cli.done
    expect(run.stdout).toContain("\u001b[35msocket.hibernate")
  })
})

describe("inspect tail when the gateway is not there", () => {
  it("exits 3 with a clear message when the gateway stops", async () => {
    const gateway = await startGateway({ port: 0 })
    const cli = startCli(["tail", gateway.url, "--no-history"])
    await cli.until((_, stderr) => stderr.includes("following"))
    await gateway.stop()
    const run = await cli.done
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(/the gateway went away \(close 1001 /)
  })

  it("exits 2 when nothing listens at the URL", async () => {
    const gateway = await startGateway({ port: 0 })
    await gateway.stop()
    const cli = startCli(["tail", gateway.url])
    const run = await cli.done
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      /^cannot reach the gateway tap at ws:\/\/127\.0\.0\.1:\d+\/tap\?history=1: connect ECONNREFUSED/,
    )
  })

  it("exits 1 without a gateway URL", async () => {
    const run = await startCli(["tail"]).done
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("give exactly one gateway URL")
  })
})
