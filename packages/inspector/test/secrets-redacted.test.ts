import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { WebSocket } from "ws"
import { FILES } from "../src/ui/static-files.js"
import { type InspectorUi, startInspectorUi } from "../src/ui/ui-server.js"
import { startCli } from "./run-cli.js"
import { ACTOR_COOKIE, type ChatWorld, startChatWorld } from "./support/chat-world.js"

// Each secret is long enough that its base64 at any byte alignment has a core of its own.
const SECRETS = {
  authorization: "Bearer AuthHeaderS3cretValue",
  cookie: "session=CookieHeaderS3cretValue",
  rivetToken: "XRivetTokenS3cretValue",
  queryToken: "QueryStringTokenS3cret",
  subprotocolToken: "SubprotocolTokenS3cretValue",
  wsAuthorization: "Bearer SocketAuthS3cretValue",
  setCookie: ACTOR_COOKIE,
}

/** Where `secret` shows in `text`: as is, as hex, or inside base64 at any of the 3 alignments. */
function leaksOf(text: string, secret: string): string[] {
  const bytes = Buffer.from(secret)
  const found: string[] = []
  if (text.includes(secret)) found.push("raw")
  if (text.toLowerCase().includes(bytes.toString("hex"))) found.push("hex")
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64")
    // Drop the groups that mix in neighbouring bytes: what is left depends on the secret alone.
    const core = encoded.slice(shift === 0 ? 0 : 4, -4)
    if (text.includes(core)) found.push(`base64+${shift}`)
  }
  return found
}

/** Every raw text message a WebSocket receives. */
function record(url: string): { texts: string[]; ws: WebSocket } {
  const texts: string[] = []
  const ws = new WebSocket(url)
  ws.on("message", (data) => texts.push(data.toString()))
  return { texts, ws }
}

let world: ChatWorld
let ui: InspectorUi
let dir: string

beforeAll(async () => {
  world = await startChatWorld()
  ui = await startInspectorUi({ gatewayUrl: world.gateway.url, port: 0 })
  dir = mkdtempSync(join(tmpdir(), "tunnelwire-secrets-"))
})

afterAll(async () => {
  await ui?.close()
  await world?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe("secrets the clients and actors send", () => {
  it("appear in no tap event, relay message, served file or session file, in any encoding", async () => {
    const tap = record(`${world.gateway.url.replace(/^http/, "ws")}/tap?history=1`)
    const relay = record(`${ui.url.replace(/^http/, "ws")}tap`)
    const sessionFile = join(dir, "session.jsonl")
    const tail = startCli(["tail", world.gateway.url, "--out", sessionFile, "--json"])
    await tail.until((_stdout, stderr) => stderr.includes("following"))

    const actor = world.gateway.createActor({ name: "vault", runnerName: "chat-runner" })
    const base = `${world.gateway.url}/gateway/${actor.actorId}`
    const response = await fetch(`${base}/login?room=1&token=${SECRETS.queryToken}`, {
      headers: {
        authorization: SECRETS.authorization,
        cookie: SECRETS.cookie,
        "x-rivet-token": SECRETS.rivetToken,
      },
    })
    expect(response.headers.get("set-cookie")).toBe(SECRETS.setCookie)
    const socket = new WebSocket(
      `${base.replace(/^http/, "ws")}/chat?access_token=${SECRETS.queryToken}`,
      ["rivet", `rivet_token.${SECRETS.subprotocolToken}`],
      { headers: { authorization: SECRETS.wsAuthorization } },
    )
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject))
    socket.send("hello")
    await new Promise((resolve) => socket.once("message", resolve))
    socket.close(1000)
    const closed = (text: string) => text.includes('"socket"') && text.includes('"close"')
    await world.tapped((event) => event.type === "socket" && event.event === "close")
    await tail.until((stdout) => stdout.split("\n").some(closed))
    await expect.poll(() => tap.texts.some(closed) && relay.texts.some(closed)).toBe(true)
    tail.interrupt()
    expect((await tail.done).code).toBe(0)
    tap.ws.close()
    relay.ws.close()

    const served = await Promise.all(
      Object.keys(FILES).map(async (path) => (await fetch(new URL(path, ui.url))).text()),
    )
    const outputs = {
      "gateway tap": tap.texts.join("\n"),
      "inspector relay": relay.texts.join("\n"),
      "served files": served.join("\n"),
      "session file": readFileSync(sessionFile, "utf8"),
      "tail output": (await tail.done).stdout,
    }
    // The redacted frames are there, and still name the headers they redacted.
    expect(outputs["inspector relay"]).toContain('\\"authorization\\": \\"<redacted>\\"')
    expect(outputs["session file"]).toContain("rivet_token.<redacted>")
    const leaks = Object.entries(outputs).flatMap(([where, text]) =>
      Object.entries(SECRETS).flatMap(([name, secret]) =>
        leaksOf(text, secret).map((encoding) => `${name} in ${where} (${encoding})`),
      ),
    )
    expect(leaks).toEqual([])
  })
})
