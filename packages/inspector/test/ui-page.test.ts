import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TapEvent } from "@tunnelwire/gateway-mock"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type InspectorUi, startInspectorUi } from "../src/ui/ui-server.js"
import { parseSession } from "../web/session-file.js"
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

// Debian's chromium (or the one TUNNELWIRE_CHROMIUM names), never a downloaded browser. CI
// installs it (.ci/run), so there a missing browser fails the suite; elsewhere the test is
// skipped, and the skip says why in the test summary.
const CHROMIUM = process.env.TUNNELWIRE_CHROMIUM ?? "/usr/bin/chromium"
const hasChromium = existsSync(CHROMIUM)
const runsInBrowser = hasChromium || process.env.CI !== undefined
const results = new URL("../test-results/", import.meta.url)
const screenshot = (name: string) => new URL(name, results).pathname

let world: ChatWorld
let ui: InspectorUi
let browser: BrowserContext
let page: Page
let profile: string
let chat: ChatResult

if (!runsInBrowser) {
  const why = `no chromium at ${CHROMIUM}: apt-get install -y chromium, or set TUNNELWIRE_CHROMIUM`
  // The default reporter prints a file's console output; the verbose one prints the skip's note.
  console.warn(`skipping the inspector page tests: ${why}`)
  it("the inspector page in chromium", (context) => context.skip(why))
}

/** The accessible names of the event markers on the page, in document order. */
const markerNames = (on: Page) =>
  on
    .locator("#timeline button.marker")
    .evaluateAll((markers) => markers.map((marker) => marker.getAttribute("aria-label") ?? ""))
const filterBox = (on: Page) => on.getByRole("searchbox", { name: "filter events" })
const details = (on: Page) => on.getByRole("complementary", { name: /^#\d+ / })

describe.runIf(runsInBrowser)("the inspector page", () => {
  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`)
    world = await startChatWorld()
    ui = await startInspectorUi({ gatewayUrl: world.gateway.url, port: 0 })
    profile = mkdtempSync(join(tmpdir(), "tunnelwire-inspector-chromium-"))
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1500, height: 760 },
      acceptDownloads: true,
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
    await browser.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: new URL(ui.url).origin,
    })
    page = browser.pages()[0] ?? (await browser.newPage())
    await page.goto(ui.url)
    await page.locator("#status[data-state=live]").waitFor()
    // Played with the page already open: what it shows arrived live through the relay.
    chat = await playHibernation(world, "room-1")
    const legacy = world.gateway.createActor({ name: "status", runnerName: LEGACY_RUNNER })
    await (await fetch(`${world.gateway.url}/gateway/${legacy.actorId}/status`)).text()
    mkdirSync(results, { recursive: true })
  }, 60_000)

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
    const current = page.locator(".lane[data-group=runner]", {
      hasText: `runner ${CURRENT_RUNNER}`,
    })
    await expect(current.locator(".badge").first().textContent()).resolves.toBe("v7")
  })

  it("folds a runner lane's burst of frames into one marker whose details list each", async () => {
    const runner = page.locator(".lane[data-group=runner]", { hasText: `runner ${CHAT_RUNNER}` })
    const burst = runner.getByRole("button", { name: /^\d+ frames \(CommandStartActor, / }).first()
    const name = (await burst.getAttribute("aria-label")) ?? ""
    const count = Number(name.split(" ")[0])
    expect(count).toBeGreaterThan(1)
    await expect(burst.locator("xpath=following-sibling::span[1]").textContent()).resolves.toBe(
      `×${count}`,
    )
    await burst.click()
    const folded = details(page).locator(".folded button")
    await expect(folded.count()).resolves.toBe(count)
    await expect(folded.first().textContent()).resolves.toMatch(/^CommandStartActor at /)
    const second = (await folded.nth(1).textContent()) ?? ""
    await folded.nth(1).click()
    await expect(details(page).getByRole("heading").textContent()).resolves.toContain(
      second.split(" at ")[0],
    )
    await expect(runner.locator(".marker.selected").getAttribute("aria-label")).resolves.toBe(name)
    await page.keyboard.press("Escape")
  })

  it("names every control and every marker by its kind and time", async () => {
    for (const name of ["Pause", "Clear", "Export", "Import"]) {
      await expect(page.getByRole("button", { name, exact: true }).count()).resolves.toBe(1)
    }
    await expect(filterBox(page).count()).resolves.toBe(1)
    const hibernate = page.getByRole("button", {
      name: /^socket hibernate at \d\d:\d\d:\d\d\.\d{3}$/,
    })
    await expect(hibernate.count()).resolves.toBe(1)
    const unnamed = await page
      .locator("button, input, summary")
      .evaluateAll(
        (controls) =>
          controls.filter(
            (control) =>
              !(control as HTMLInputElement).hidden &&
              control.getAttribute("aria-label") === null &&
              (control.textContent ?? "").trim() === "" &&
              control.closest("label") === null,
          ).length,
      )
    expect(unnamed).toBe(0)
  })

  it("shows the full stringified frame of a marker on click, with copy buttons and the command that decodes it", async () => {
    const lane = page.locator(`.lane[data-lane="req:${chat.requestId}"]`)
    await lane.locator(".marker[data-kind=message][data-dir=in]").first().click()
    await expect(details(page).getByRole("heading").textContent()).resolves.toMatch(
      /^#\d+ ToClientWebSocketMessage at \d\d:\d\d:\d\d\.\d{3}$/,
    )
    const text = await page.locator("#details-text").textContent()
    expect(text).toMatch(/^ToClientTunnelMessage\{requestId: [0-9a-f]{8}…\(16\)/)
    expect(text).toContain('"hello"')
    const command = await page.locator("#decode-command").textContent()
    expect(command).toMatch(/^tunnelwire inspect decode \S+ --type ToClient --version 3$/)
    await details(page).getByRole("button", { name: "Copy command" }).click()
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(command)
    await details(page).getByRole("button", { name: "Copy frame" }).click()
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(text)
    // The picture a person judges at a glance: the close selected, its reason in the panel.
    await lane.locator(".marker[data-kind=close]").click()
    await expect(page.locator("#details-facts").textContent()).resolves.toContain(
      `close${GOODBYE.code} “${GOODBYE.reason}”`,
    )
    await page.screenshot({ path: screenshot("inspector.png"), fullPage: true })
  })

  it("moves the selection with the arrow keys and closes the details with Esc", async () => {
    const lane = page.locator(`.lane[data-lane="req:${chat.requestId}"]`)
    await lane.getByRole("button", { name: /^socket hibernate at / }).click()
    const selected = () => page.locator(".marker.selected").getAttribute("aria-label")
    const hibernate = await selected()
    const heading = () => details(page).getByRole("heading").textContent()
    const hibernateHeading = await heading()
    await page.keyboard.press("ArrowRight")
    const next = await selected()
    expect(next).not.toBe(hibernate)
    await expect(
      page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
    ).resolves.toBe(next)
    await expect(heading()).resolves.not.toBe(hibernateHeading)
    await page.keyboard.press("ArrowLeft")
    await expect(selected()).resolves.toBe(hibernate)
    await expect(heading()).resolves.toBe(hibernateHeading)
    await page.keyboard.press("Escape")
    await expect(page.locator("#details").isHidden()).resolves.toBe(true)
    await expect(page.locator(".marker.selected").count()).resolves.toBe(0)
  })

  it("links to a single event: the link opens the page with that event selected", async () => {
    await page.getByRole("button", { name: /^socket wake at / }).click()
    const href = await page.getByRole("link", { name: "Link to this event" }).getAttribute("href")
    expect(href).toMatch(/#event=\d+$/)
    const other = await browser.newPage()
    await other.goto(href ?? "")
    await expect(details(other).getByRole("heading").textContent()).resolves.toMatch(
      /^#\d+ socket wake at /,
    )
    await other.close()
    await page.keyboard.press("Escape")
  })

  it("filters with the tail's syntax, hides emptied lanes, counts what it hid and keeps the filter in the URL", async () => {
    const all = await markerNames(page)
    await filterBox(page).fill("kind:socket")
    await expect
      .poll(() =>
        page
          .locator(".lane")
          .evaluateAll((lanes) => lanes.map((l) => l.getAttribute("data-group"))),
      )
      .toEqual(["socket"])
    const shown = await markerNames(page)
    expect(shown.map((name) => name.split(" at ")[0])).toEqual([
      "socket open",
      "socket hibernate",
      "socket wake",
      "socket close",
    ])
    expect(new URL(page.url()).searchParams.get("q")).toBe("kind:socket")
    await expect(page.locator("#counts").textContent()).resolves.toMatch(
      /^\d+ events · 3 runners · 1 socket · \d+ filtered out( · pings and acks hidden: \d+)? · \d+ lanes hidden$/,
    )
    await page.screenshot({ path: screenshot("inspector-filtered.png"), fullPage: true })
    // Shared by URL: a page opened at it shows the same.
    const other = await browser.newPage()
    await other.goto(page.url())
    await expect(filterBox(other).inputValue()).resolves.toBe("kind:socket")
    await expect.poll(() => markerNames(other)).toEqual(shown)
    await other.close()

    await filterBox(page).fill("version:2 kind:frame")
    await expect
      .poll(() => page.locator(".lane-sub").allTextContents())
      .toSatisfy(
        (subs: string[]) => subs.length > 0 && subs.every((sub) => !sub.includes(CHAT_RUNNER)),
      )
    await filterBox(page).fill('"anyone he"')
    await expect
      .poll(() => markerNames(page))
      .toEqual([
        expect.stringMatching(/^ToClientWebSocketMessage at /),
        expect.stringMatching(/^ToServerWebSocketMessage at /),
      ])
    await filterBox(page).fill("version:x")
    await expect(page.getByRole("alert").textContent()).resolves.toBe(
      "version:x is not a protocol version (try version:3)",
    )
    await filterBox(page).fill("")
    await expect.poll(() => markerNames(page)).toEqual(all)
  })

  it("pauses into a buffer that the button counts, resumes, and clears", async () => {
    await page.getByRole("button", { name: "Pause" }).click()
    const before = await markerNames(page)
    world.gateway.createActor({ name: "while-paused" })
    await expect
      .poll(() => page.getByRole("button", { name: /^Resume \(\d+ new\)$/ }).textContent())
      .toMatch(/^Resume \([1-9]\d* new\)$/)
    expect(await markerNames(page)).toEqual(before)
    await page.getByRole("button", { name: /^Resume/ }).click()
    await expect.poll(async () => (await markerNames(page)).length).toBeGreaterThan(before.length)
    await page.getByRole("button", { name: "Clear" }).click()
    await expect.poll(() => markerNames(page)).toEqual([])
    // A ping may arrive between the clear and this look; it is hidden like every ping.
    await expect(page.locator(".empty").textContent()).resolves.toMatch(
      /^(No traffic yet|Only pings and tunnel acks so far \(hidden\))\.$/,
    )
    world.gateway.createActor({ name: "after-clear" })
    await expect
      .poll(() => markerNames(page))
      .toEqual([expect.stringMatching(/^actor created at /)])
  })

  it("exports a session that ui --file, the import button and a drop all show the same", async () => {
    await page.goto(ui.url)
    await page.locator("#status[data-state=live]").waitFor()
    await expect.poll(async () => (await markerNames(page)).length).toBeGreaterThan(20)
    const live = await markerNames(page)
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export" }).click(),
    ])
    const file = join(profile, "exported.jsonl")
    await download.saveAs(file)
    const text = readFileSync(file, "utf8")
    const session = parseSession(text)
    expect(session.events.length).toBeGreaterThan(20)
    expect(session.events.some((event) => event.type === "frame" && event.version === 2)).toBe(true)
    expect(text).not.toContain("S3cret")

    const replay = await startInspectorUi({
      session: { name: file, events: session.events },
      port: 0,
    })
    const offline = await browser.newPage()
    await offline.goto(replay.url)
    await offline.locator("#status[data-state=session]").waitFor()
    await expect.poll(() => markerNames(offline)).toEqual(live)
    await replay.close()

    const imported = await browser.newPage()
    await imported.goto(ui.url)
    const [chooser] = await Promise.all([
      imported.waitForEvent("filechooser"),
      imported.getByRole("button", { name: "Import" }).click(),
    ])
    await chooser.setFiles(file)
    await imported.locator("#status[data-state=session]").waitFor()
    await expect.poll(() => markerNames(imported)).toEqual(live)

    await imported.goto(ui.url)
    await imported.evaluate((content) => {
      const data = new DataTransfer()
      data.items.add(new File([content], "dropped.jsonl"))
      document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true }))
    }, text)
    await imported.locator("#status[data-state=session]").waitFor()
    await expect(imported.locator("#status").textContent()).resolves.toMatch(
      /^session dropped\.jsonl/,
    )
    await expect.poll(() => markerNames(imported)).toEqual(live)
    await imported.close()
    await offline.close()
  })

  it("folds a runner lane's run of pings and pongs into one marker named with its count", async () => {
    const runner = { runnerId: "r-1", runnerKey: "key-1", version: 3 }
    const ping = (seq: number): TapEvent => ({
      type: "frame",
      direction: seq % 2 === 0 ? "fromRunner" : "toRunner",
      ...runner,
      requestId: null,
      actorId: null,
      kind: seq % 2 === 0 ? "ToServerPing" : "ToClientPong",
      text: seq % 2 === 0 ? "ToServerPing{ts: 1n}" : "ToClientPong{ts: 1n}",
      wire: "",
      seq,
      time: Date.UTC(2026, 0, 1, 12, 0, seq),
    })
    const connected: TapEvent = {
      type: "runner",
      event: "connected",
      ...runner,
      runnerName: "pinger",
      code: null,
      reason: null,
      seq: 1,
      time: Date.UTC(2026, 0, 1, 12, 0, 1),
    }
    const events = [connected, ...Array.from({ length: 10 }, (_, i) => ping(i + 2))]
    const replay = await startInspectorUi({ session: { name: "pings", events }, port: 0 })
    const pings = await browser.newPage()
    await pings.goto(replay.url)
    await pings.getByRole("checkbox", { name: "pings and tunnel acks" }).check()
    await expect
      .poll(() => markerNames(pings))
      .toEqual([
        "runner connected at 12:00:01.000",
        "pings and pongs 10 times, 12:00:02.000 to 12:00:11.000",
      ])
    await expect(pings.locator(".repeat-count").textContent()).resolves.toBe("×10")
    await pings.close()
    await replay.close()
  })

  it("is usable 390 px wide: nothing overflows the page, the controls and a marker's details fit", async () => {
    const narrow = await browser.newPage()
    await narrow.setViewportSize({ width: 390, height: 844 })
    await narrow.goto(ui.url)
    await narrow.locator("#status[data-state=live]").waitFor()
    await narrow
      .getByRole("button", { name: /^socket hibernate at / })
      .first()
      .click()
    const overflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBe(0)
    for (const control of [filterBox(narrow), narrow.getByRole("button", { name: "Export" })]) {
      const box = await control.boundingBox()
      expect(box?.x).toBeGreaterThanOrEqual(0)
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390)
    }
    await narrow.screenshot({ path: screenshot("inspector-390.png"), fullPage: true })
    // Scrolled, the first tick hides under the lane labels: the ruler says where the view starts.
    await narrow.locator("#timeline").evaluate((timeline) => {
      timeline.scrollLeft = 300
    })
    await expect
      .poll(() => narrow.locator("#ruler-start").textContent())
      .toMatch(/^\d\d:\d\d:\d\d\.\d{3} →$/)
    await narrow.close()
  })
})
