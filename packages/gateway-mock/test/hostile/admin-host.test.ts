// DNS rebinding: a page on evil.test whose name was rebound to 127.0.0.1 still sends
// `Host: evil.test`, so the admin API and the tap answer only loopback Host names by default.
import { afterEach, describe, expect, it } from "vitest"
import { type Gateway, startGateway } from "../../src/index.js"
import { httpRequest, rawRequest, upgradeRequest } from "./support/raw-http.js"

describe("hostile pages: the admin API's Host", () => {
  let gateway: Gateway | undefined
  afterEach(async () => {
    await gateway?.stop()
    gateway = undefined
  })

  it("a rebound name gets 403 from the admin API and the tap; loopback names are served", async () => {
    gateway = await startGateway({ port: 0 })
    const { port } = gateway
    const statuses = async (host: string) => [
      (await rawRequest(port, httpRequest("GET", "/actors", host))).status,
      (await rawRequest(port, httpRequest("GET", "/runners", host))).status,
      (await rawRequest(port, httpRequest("POST", "/actors", host, ["Content-Length: 0"]))).status,
      (await rawRequest(port, upgradeRequest("/tap", host))).status,
    ]
    expect(await statuses(`evil.test:${port}`)).toEqual([403, 403, 403, 403])
    expect(await statuses("evil.test")).toEqual([403, 403, 403, 403])
    expect(await statuses(`127.0.0.1.evil.test:${port}`)).toEqual([403, 403, 403, 403])
    expect(gateway.listActors()).toEqual([])

    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, "127.1.2.3", `[::1]:${port}`])
      expect((await rawRequest(port, httpRequest("GET", "/actors", host))).status).toBe(200)
    expect((await rawRequest(port, upgradeRequest("/tap", `localhost:${port}`))).status).toBe(101)
  })

  it("names listed in allowedHosts are served too, and * serves any", async () => {
    gateway = await startGateway({ port: 0, allowedHosts: ["gateway.internal"] })
    const named = gateway.port
    const status = async (port: number, host: string) =>
      (await rawRequest(port, httpRequest("GET", "/actors", host))).status
    expect(await status(named, `gateway.internal:${named}`)).toBe(200)
    expect(await status(named, `evil.test:${named}`)).toBe(403)
    await gateway.stop()

    gateway = await startGateway({ port: 0, allowedHosts: ["*"] })
    expect(await status(gateway.port, `evil.test:${gateway.port}`)).toBe(200)
  })

  it("client routes and health stay open to any Host", async () => {
    gateway = await startGateway({ port: 0 })
    const { port } = gateway
    const host = `evil.test:${port}`
    expect((await rawRequest(port, httpRequest("GET", "/health", host))).status).toBe(200)
    expect((await rawRequest(port, httpRequest("GET", "/gateway/nobody/x", host))).status).toBe(404)
  })
})
