import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Gateway, startGateway, type TapEvent } from "@tunnelwire/gateway-mock"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { WebSocket } from "ws"
import type { RelayMessage } from "../src/ui/tap-relay.js"
import { type InspectorUi, startInspectorUi } from "../src/ui/ui-server.js"
import { formatSession } from "../web/session-file.js"
import { startCli } from "./run-cli.js"

let gateway: Gateway
let ui: InspectorUi

beforeEach(async () => {
  gateway = await startGateway({ port: 0, tapHistory: 100 })
  ui = await startInspectorUi({ gatewayUrl: gateway.url, port: 0 })
})

afterEach(async () => {
  await ui.close()
  await gateway.stop()
})

/** A page's subscription: every relay message it received, and a way to wait for one. */
function subscribe(origin?: string) {
  const received: RelayMessage[] = []
  const waiters = new Set<() => void>()
  const ws = new WebSocket(`${ui.url.replace(/^http/, "ws")}tap`, origin ? { origin } : {})
  ws.on("message", (data) => {
    received.push(JSON.parse(data.toString()) as RelayMessage)
    for (const check of waiters) check()
  })
  const until = (match: (message: RelayMessage) => boolean) =>
    new Promise<RelayMessage>((resolve) => {
      const check = () => {
        const found = received.find(match)
        if (found === undefined) return
        waiters.delete(check)
        resolve(found)
      }
      waiters.add(check)
      check()
    })
  return { ws, received, until }
}

const actorEvent = (name: string) => (message: RelayMessage) =>
  message.kind === "events" &&
  message.events.some((event) => event.type === "actor" && event.name === name)

describe("the inspector UI server", () => {
  it("serves the page, its script and its style, and nothing else", async () => {
    const page = await fetch(ui.url)
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(await page.text()).toContain('<script type="module" src="timeline.js">')
    const script = await fetch(new URL("timeline.js", ui.url))
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8")
    expect((await fetch(new URL("style.css", ui.url))).status).toBe(200)
    expect((await fetch(new URL("../package.json", `${ui.url}web/`))).status).toBe(404)
    expect((await fetch(new URL("timeline.js", ui.url), { method: "POST" })).status).toBe(405)
  })

  it("relays the events the gateway kept, then live ones, after the gateway's state", async () => {
    gateway.createActor({ name: "before" })
    const page = subscribe()
    await page.until((message) => message.kind === "status" && message.state === "live")
    await page.until(actorEvent("before"))
    gateway.createActor({ name: "after" })
    await page.until(actorEvent("after"))
    expect(page.received[0]).toMatchObject({ kind: "status" })
    const names = page.received.flatMap((message) =>
      message.kind === "events"
        ? message.events.flatMap((event) => (event.type === "actor" ? [event.name] : []))
        : [],
    )
    expect(names).toEqual(["before", "after"])
    page.ws.close()
  })

  it("gives a page opened later the whole timeline at once", async () => {
    const first = subscribe()
    gateway.createActor({ name: "early" })
    await first.until(actorEvent("early"))
    const later = subscribe()
    const snapshot = await later.until((message) => message.kind === "events")
    expect(snapshot).toMatchObject({ events: [{ type: "actor", name: "early" }] })
    first.ws.close()
    later.ws.close()
  })

  it("refuses a subscription from another site's page", async () => {
    const status = await new Promise<number | undefined>((resolve) => {
      const ws = new WebSocket(`${ui.url.replace(/^http/, "ws")}tap`, {
        origin: "https://elsewhere.example",
      })
      ws.on("unexpected-response", (_request, response) => resolve(response.statusCode))
      ws.on("open", () => resolve(undefined))
    })
    expect(status).toBe(403)
  })

  it("refuses a DNS-rebinding page on every route: page, static files and /tap", async () => {
    const port = new URL(ui.url).port
    const evil = { host: `evil.test:${port}`, origin: `http://evil.test:${port}` }
    for (const path of ["/", "/timeline.js", "/tap-filter.js", "/style.css"]) {
      expect(await statusOf(path, evil)).toBe(403)
    }
    expect(await upgradeStatus({ ...evil })).toBe(403)
    // The same requests by a loopback name go through.
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `127.8.9.10:${port}`]) {
      expect(await statusOf("/", { host, origin: `http://${host}` })).toBe(200)
      expect(await upgradeStatus({ host, origin: `http://${host}` })).toBe(101)
    }
  })

  it("answers to another host name when told to", async () => {
    const other = await startInspectorUi({
      gatewayUrl: gateway.url,
      port: 0,
      allowedHosts: ["inspector.lan"],
    })
    const port = new URL(other.url).port
    const lan = { host: `inspector.lan:${port}`, origin: `http://inspector.lan:${port}` }
    expect(await statusOf("/", lan, other.url)).toBe(200)
    expect(await upgradeStatus(lan, other.url)).toBe(101)
    expect(await statusOf("/", { host: `evil.test:${port}` }, other.url)).toBe(403)
    await other.close()
  })

  it("tells the page when the gateway goes away", async () => {
    const page = subscribe()
    await page.until((message) => message.kind === "status" && message.state === "live")
    await gateway.stop()
    const gone = await page.until(
      (message) => message.kind === "status" && message.state === "gone",
    )
    expect(gone).toMatchObject({ detail: "closed 1001" })
    page.ws.close()
    gateway = await startGateway({ port: 0 })
  })
})

/** The status of a GET sent with these headers (Host included), as a browser would send it. */
function statusOf(
  path: string,
  headers: Record<string, string>,
  base = ui.url,
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers }, (res) => {
      res.resume()
      resolve(res.statusCode)
    })
    req.on("error", reject)
    req.end()
  })
}

/** 101 when the inspector accepts a /tap subscription with these headers, else its status. */
function upgradeStatus(headers: { host: string; origin?: string }, base = ui.url) {
  return new Promise<number | undefined>((resolve) => {
    const { origin, ...rest } = headers
    const ws = new WebSocket(`${base.replace(/^http/, "ws")}tap`, {
      headers: rest,
      ...(origin === undefined ? {} : { origin }),
    })
    ws.on("unexpected-response", (_request, response) => resolve(response.statusCode))
    ws.on("open", () => {
      ws.close()
      resolve(101)
    })
    ws.on("error", () => resolve(undefined))
  })
}

describe("tunnelwire inspect ui", () => {
  it("prints the page's URL and stops cleanly on Ctrl-C", async () => {
    const cli = startCli(["ui", gateway.url, "--port", "0"])
    await cli.until((stdout) => stdout.includes("inspector: http://"))
    const url = /inspector: (\S+)/.exec(cli.stdout())?.[1] ?? ""
    expect((await fetch(url)).status).toBe(200)
    cli.interrupt()
    const run = await cli.done
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /^inspector: http:\/\/127\.0\.0\.1:\d+\/ \(gateway http:\/\/127\.0\.0\.1:\d+; Ctrl-C to stop\)\n$/,
    )
    await expect(fetch(url)).rejects.toThrow()
  })

  it("--file serves a session file with no gateway, and says in one line when it cannot", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunnelwire-ui-file-"))
    const file = join(dir, "session.jsonl")
    const kept: TapEvent = {
      type: "actor",
      event: "created",
      actorId: "a-1",
      name: "kept",
      key: null,
      generation: 0,
      runnerId: null,
      seq: 1,
      time: 1,
    }
    writeFileSync(file, formatSession([kept], "saved"))
    const cli = startCli(["ui", "--file", file, "--port", "0"])
    await cli.until((stdout) => stdout.includes("inspector: http://"))
    expect(cli.stdout()).toMatch(/\(session .*session\.jsonl; Ctrl-C to stop\)\n$/)
    const url = /inspector: (\S+)/.exec(cli.stdout())?.[1] ?? ""
    const received: RelayMessage[] = []
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}tap`)
    await new Promise<void>((resolve) =>
      ws.on("message", (data) => {
        received.push(JSON.parse(data.toString()) as RelayMessage)
        if (received.length === 2) resolve()
      }),
    )
    expect(received).toMatchObject([
      { kind: "status", state: "session", gateway: file, detail: "1 event" },
      { kind: "events", events: [{ type: "actor", name: "kept" }] },
    ])
    ws.close()
    cli.interrupt()
    expect((await cli.done).code).toBe(0)

    const missing = await startCli(["ui", "--file", join(dir, "nope.jsonl")]).done
    expect(missing).toMatchObject({
      code: 1,
      stderr: `cannot read the session file ${join(dir, "nope.jsonl")}: no such file\n`,
    })
    writeFileSync(file, "{}\n")
    const notSession = await startCli(["ui", "--file", file]).done
    expect(notSession.code).toBe(1)
    expect(notSession.stderr).toMatch(/^.*: line 1: not a tunnelwire inspector session/)
    rmSync(dir, { recursive: true, force: true })
  })

  it("exits 2 when the port is taken and 1 on a bad port", async () => {
    const port = new URL(ui.url).port
    const taken = await startCli(["ui", gateway.url, "--port", port]).done
    expect(taken.code).toBe(2)
    expect(taken.stderr).toMatch(/^cannot serve the inspector on 127\.0\.0\.1:\d+: .*EADDRINUSE/)
    const bad = await startCli(["ui", gateway.url, "--port", "http"]).done
    expect(bad).toMatchObject({ code: 1, stderr: '--port must be a port number, got "http"\n' })
  })
})
