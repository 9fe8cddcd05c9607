// Admin requests are small JSON objects: a larger body is refused with 413 while it streams in,
// instead of being gathered whole.
import { afterEach, describe, expect, it } from "vitest"
import { type Gateway, startGateway } from "../../src/index.js"

describe("hostile callers: admin request bodies", () => {
  let gateway: Gateway | undefined
  afterEach(async () => {
    await gateway?.stop()
    gateway = undefined
  })

  it("a body over 1 MiB gets 413 and creates nothing; a small one still works", async () => {
    gateway = await startGateway({ port: 0 })
    const name = "a".repeat(3 * 1024 * 1024)
    const big = await fetch(`${gateway.url}/actors`, {
      method: "POST",
      body: JSON.stringify({ name }),
    })
    expect(big.status).toBe(413)
    expect(gateway.listActors()).toEqual([])

    const small = await fetch(`${gateway.url}/actors`, {
      method: "POST",
      body: JSON.stringify({ name: "small" }),
    })
    expect(small.status).toBe(201)
  })
})
