// The reference implementation reset the message index to 0 going v2 → v3 and ran the wrong
// downgrade steps for a middle version, so v2 runners received nothing. Each older version's
// bytes here are written from a message built by hand in that version's own shape.
import { describe, expect, it } from "vitest"
import { v1, v2, type v3, writeEmbeddedVersion } from "../../src/index.js"
import {
  bytes,
  olderStartActor,
  v1ToClient,
  v1ToServer,
  v2ToClient,
  v2ToServer,
  v3StartActor,
  v3ToClient,
  v3ToServer,
} from "./messages.js"
import { hex } from "./observed.js"
import {
  decodeToClient,
  decodeToClientFrame,
  decodeToServer,
  encodeToClient,
  encodeToClientFrame,
  encodeToServer,
} from "./v3-shaped.js"

const payload = bytes(3, 0x61)

describe("v2 → v3 keeps the message index", () => {
  const v2Message = v2ToClient({
    tag: "ToClientWebSocketMessage",
    val: { index: 1234, data: payload, binary: true },
  })
  const latest = v3ToClient({
    tag: "ToClientWebSocketMessage",
    val: { index: 1234, data: payload, binary: true },
  })

  it("reads index 1234 from v2 bytes as 1234 in the latest shape", () => {
    expect(decodeToClient(v2.encodeToClient(v2Message), { version: 2 })).toStrictEqual(latest)
  })

  it("reads index 1234 from a v2 embedded-version frame as 1234", () => {
    const frame = writeEmbeddedVersion(2, v2.encodeToClient(v2Message))
    expect(decodeToClientFrame(frame)).toStrictEqual({ version: 2, message: latest })
  })

  it("writes index 1234 to v2 as 1234", () => {
    expect(hex(encodeToClient(latest, { version: 2 }))).toBe(hex(v2.encodeToClient(v2Message)))
  })
})

/** One latest message and the same message built by hand in v2 and v1. */
interface ToClientCase {
  readonly name: string
  readonly latest: v3.ToClient
  readonly v2: v2.ToClient
  readonly v1: v1.ToClient
}

interface ToServerCase {
  readonly name: string
  readonly latest: v3.ToServer
  readonly v2: v2.ToServer
  readonly v1: v1.ToServer
}

const toClientCases: readonly ToClientCase[] = [
  {
    name: "WebSocket message (index 0)",
    latest: v3ToClient({
      tag: "ToClientWebSocketMessage",
      val: { index: 0, data: payload, binary: false },
    }),
    v2: v2ToClient({
      tag: "ToClientWebSocketMessage",
      val: { index: 0, data: payload, binary: false },
    }),
    v1: v1ToClient({ tag: "ToClientWebSocketMessage", val: { data: payload, binary: false } }),
  },
  {
    name: "start actor (nothing to restore)",
    latest: v3StartActor([]),
    v2: olderStartActor(),
    v1: olderStartActor(),
  },
  {
    name: "WebSocket close from the gateway (unchanged type)",
    latest: v3ToClient({ tag: "ToClientWebSocketClose", val: { code: 1000, reason: "bye" } }),
    v2: v2ToClient({ tag: "ToClientWebSocketClose", val: { code: 1000, reason: "bye" } }),
    v1: v1ToClient({ tag: "ToClientWebSocketClose", val: { code: 1000, reason: "bye" } }),
  },
]

const toServerCases: readonly ToServerCase[] = [
  {
    name: "WebSocket open (cannot hibernate)",
    latest: v3ToServer({ tag: "ToServerWebSocketOpen", val: { canHibernate: false } }),
    v2: v2ToServer({
      tag: "ToServerWebSocketOpen",
      val: { canHibernate: false, lastMsgIndex: -1n },
    }),
    v1: v1ToServer({ tag: "ToServerWebSocketOpen", val: null }),
  },
  {
    name: "WebSocket close from the runner (no hibernation)",
    latest: v3ToServer({
      tag: "ToServerWebSocketClose",
      val: { code: 1011, reason: "restore failed", hibernate: false },
    }),
    v2: v2ToServer({
      tag: "ToServerWebSocketClose",
      val: { code: 1011, reason: "restore failed", retry: false },
    }),
    v1: v1ToServer({
      tag: "ToServerWebSocketClose",
      val: { code: 1011, reason: "restore failed" },
    }),
  },
  {
    name: "ping (unchanged type)",
    latest: { tag: "ToServerPing", val: { ts: 1_735_689_600_000n } },
    v2: { tag: "ToServerPing", val: { ts: 1_735_689_600_000n } },
    v1: { tag: "ToServerPing", val: { ts: 1_735_689_600_000n } },
  },
]

describe.each(toClientCases)("ToClient $name", (c) => {
  it("writes the latest message to v2 as exactly the v2 bytes, and to v1 as the v1 bytes", () => {
    expect(hex(encodeToClient(c.latest, { version: 2 }))).toBe(hex(v2.encodeToClient(c.v2)))
    expect(hex(encodeToClient(c.latest, { version: 1 }))).toBe(hex(v1.encodeToClient(c.v1)))
    expect(hex(encodeToClientFrame(c.latest, { version: 2 }))).toBe(
      hex(writeEmbeddedVersion(2, v2.encodeToClient(c.v2))),
    )
  })

  it("reads the v2 and the v1 bytes as the latest message", () => {
    expect(decodeToClient(v2.encodeToClient(c.v2), { version: 2 })).toStrictEqual(c.latest)
    expect(decodeToClient(v1.encodeToClient(c.v1), { version: 1 })).toStrictEqual(c.latest)
  })
})

describe.each(toServerCases)("ToServer $name", (c) => {
  it("writes the latest message to v2 as exactly the v2 bytes, and to v1 as the v1 bytes", () => {
    expect(hex(encodeToServer(c.latest, { version: 2 }))).toBe(hex(v2.encodeToServer(c.v2)))
    expect(hex(encodeToServer(c.latest, { version: 1 }))).toBe(hex(v1.encodeToServer(c.v1)))
  })

  it("reads the v2 and the v1 bytes as the latest message", () => {
    expect(decodeToServer(v2.encodeToServer(c.v2), { version: 2 })).toStrictEqual(c.latest)
    expect(decodeToServer(v1.encodeToServer(c.v1), { version: 1 })).toStrictEqual(c.latest)
  })
})
