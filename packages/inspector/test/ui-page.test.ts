import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type InspectorUi, startInspectorUi } from "../src/ui/ui-server.js"
import {
  CHAT_RUNNER,
  type ChatResult,
  type ChatWorld,
  GOODBYE,
  playHibernation,
  startChatWorld,
} from "./support/chat-world.js"

// Debian's chromium, never a downloaded browser. CI installs it (.ci/run), so there a missing
// browser fails the suite; elsewhere the test is skipped with the command that installs it.
const CHROMIUM = "/usr/bin/chromium"
const hasChromium = existsSync(CHROMIUM)
const screenshot = new URL("../test-results/inspector.png", import.meta.url)
if (!hasChromium && !process.env.CI) {
  console.warn(`skipping the inspector page test: no ${CHROMIUM} (apt-get install -y chromium)`)
}

let world: ChatWorld
let ui: InspectorUi
let browser: BrowserContext
let page: Page
let profile: string
let chat: ChatResult

describe.skipIf(!hasChromium && !process.env.CI)("the inspector page", () => {
  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`)
    world = await startChatWorld()
    ui = await startInspectorUi({ gatewayUrl: world.gateway.url, port: 0 })
    profile = mkdtempSync(join(tmpdir(), "tunnelwire-inspector-chromium-"))
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1500, height: 760 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    })
    page = browser.pages()[0] ?? (await browser.newPage())
    await page.goto(ui.url)
    await page.locator("#status[data-state=live]").waitFor()
    // Played with the page already open: what it shows arrived live through the relay.
    chat = await playHibernation(world, "room-1")
  })

  afterAll(async () => {
    await browser?.close()
    await ui?.close()
    await world?.stop()
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true })
  })

  it("shows the socket's open, messages, hibernate, wake, messages and close with its reason", async () => {
    const lane = page.locator(`.lane[data-group=socket][data-lane="req:${chat.requestId}"]`)
    await lane.locator(".marker[data-kind=close]").waitFor()
    const kinds = await lane
      .locator(".marker")
      .evaluateAll((markers) => markers.map((marker) => marker.getAttribute("data-kind") ?? ""))
    const story = kinds
      .filter((kind) => ["open", "message", "hibernate", "wake", "close"].includes(kind))
      .filter((kind, i, all) => kind !== "message" || all[i - 1] !== "message")
    expect(story).toEqual(["open", "message", "hibernate", "wake", "message", "close"])
    // Two client messages and two echoes before the sleep; the waking message, its echo and "bye" after.
    const messages = (from: string, to: string) =>
      kinds.slice(kinds.indexOf(from), kinds.indexOf(to)).filter((kind) => kind === "message")
    expect(messages("open", "hibernate")).toHaveLength(4)
    expect(messages("wake", "close")).toHaveLength(3)
    expect(chat.closed).toEqual(GOODBYE)
    await expect(lane.locator(".close-label").textContent()).resolves.toBe(
      `${GOODBYE.code} “${GOODBYE.reason}”`,
    )
    await expect(lane.locator(".band.hibernating").textContent()).resolves.toMatch(
      /^hibernating \d+(\.\d+)? m?s$/,
    )
    await expect(lane.locator(".lane-title").textContent()).resolves.toBe("WS /chatv3closed 4000")
  })

  it("names each runner connection with the protocol version it speaks", async () => {
    const runner = page.locator(".lane[data-group=runner]", { hasText: `runner ${CHAT_RUNNER}` })
    await expect(runner.locator(".badge").allTextContents()).resolves.toEqual(["v3", "connected"])
    const legacy = page.locator(".lane[data-group=runner]", { hasText: "runner legacy-runner" })
    await expect(legacy.locator(".badge").first().textContent()).resolves.toBe("v2")
  })

  it("shows the full stringified frame of a marker on click, with the command that decodes it", async () => {
    const lane = page.locator(`.lane[data-lane="req:${chat.requestId}"]`)
    await lane.locator(".marker[data-kind=message][data-dir=in]").first().click()
    await expect(page.locator("#details-title").textContent()).resolves.toMatch(
      /^#\d+ ToClientWebSocketMessage$/,
    )
    const text = await page.locator("#details-text").textContent()
    expect(text).toMatch(/^ToClientTunnelMessage\{requestId: [0-9a-f]{8}…\(16\)/)
    expect(text).toContain('"hello"')
    await expect(page.locator("#details-decode").textContent()).resolves.toMatch(
      /^Decode it again: tunnelwire inspect decode \S+ --type ToClient --version 3$/,
    )
    // The picture a person judges at a glance: the close selected, its reason in the panel.
    await lane.locator(".marker[data-kind=close]").click()
    await expect(page.locator("#details-facts").textContent()).resolves.toContain(
      `close${GOODBYE.code} “${GOODBYE.reason}”`,
    )
    mkdirSync(new URL(".", screenshot), { recursive: true })
    await page.screenshot({ path: screenshot.pathname, fullPage: true })
  })
})
