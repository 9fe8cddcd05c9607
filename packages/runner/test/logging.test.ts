import { REDACTED } from "@tunnelwire/protocol/pinned/v3"
import { afterEach, describe, expect, it, vi } from "vitest"
import type { Logger } from "../src/index.js"
import { FakeGateway } from "./support/fake-gateway.js"
import { testRunner, versions } from "./support/harness.js"

interface Entry {
  readonly level: string
  readonly fields: object
  readonly message: string | undefined
}

function capturingLogger(debugEnabled: boolean): { logger: Logger; entries: Entry[] } {
  const entries: Entry[] = []
  const at =
    (level: string) =>
    (fields: object, message?: string): void => {
      entries.push({ level, fields, message })
    }
  return {
    entries,
    logger: {
      debug: at("debug"),
      info: at("info"),
      warn: at("warn"),
      error: at("error"),
      isLevelEnabled: (level) => level !== "debug" || debugEnabled,
    },
  }
}

let gateway: FakeGateway | undefined

afterEach(async () => {
  vi.restoreAllMocks()
  await gateway?.close()
  gateway = undefined
})

describe.each(versions)("logging over v%i", (version) => {
  it("is silent by default", async () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
      vi.spyOn(console, method),
    )
    gateway = await FakeGateway.start()
    const { runner } = testRunner(gateway, version)
    await runner.start()
    await gateway.startActor("actor-a")
    await gateway.request("actor-a")
    await runner.shutdown()
    for (const spy of spies) expect(spy).not.toHaveBeenCalled()
  })

  it("logs each frame at debug level through the protocol stringifier with secrets redacted", async () => {
    gateway = await FakeGateway.start({ token: "token-abc" })
    const { logger, entries } = capturingLogger(true)
    const { runner } = testRunner(gateway, version, { token: "token-abc", logger })
    await runner.start()
    await gateway.startActor("actor-a")
    await gateway.request("actor-a", {
      headers: { authorization: "Bearer hunter2", cookie: "session=s3cr3t", "x-plain": "visible" },
    })
    await runner.shutdown()
    const frames = entries.filter((e) => e.level === "debug" && e.message === "frame")
    const texts = frames.map((e) => JSON.stringify(e.fields))
    expect(texts.some((t) => t.includes("ToServerInit{"))).toBe(true)
    const requestStart = texts.find((t) => t.includes("ToClientRequestStart{"))
    expect(requestStart).toContain(REDACTED)
    expect(requestStart).toContain("visible")
    const everything = JSON.stringify(entries)
    for (const secret of ["hunter2", "s3cr3t", "token-abc"])
      expect(everything).not.toContain(secret)
  })

  it("does not build frame text when debug is disabled", async () => {
    gateway = await FakeGateway.start()
    const { logger, entries } = capturingLogger(false)
    const { runner } = testRunner(gateway, version, { logger })
    await runner.start()
    await gateway.startActor("actor-a")
    await runner.shutdown()
    expect(entries.filter((e) => e.level === "debug")).toEqual([])
    expect(entries.map((e) => e.message)).toContain("actor running")
  })
})
