import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import {
  type Capabilities,
  CloseCode,
  type CloseRule,
  capabilities,
  classifyIndex,
  clientCloseFor,
  closeFrameProblem,
  closeHibernates,
  GatewayClose,
  ID_LENGTH,
  idKey,
  indexDistance,
  isEvictionReason,
  isNewerIndex,
  keepsSocketWhileActorAway,
  newId,
  nextIndex,
  numbersMessages,
  PROTOCOL_VERSIONS,
  parseRunnerConnectUrl,
  RUNNER_SHUTDOWN_REASON,
  RunnerClose,
  RunnerConnectionClose,
  replaysWithStart,
  runnerConnectUrl,
  runnerSubprotocols,
  tokenFromSubprotocols,
  VersionError,
  withoutRayId,
  withRayId,
} from "../src/index.js"

describe("u16 message indexes", () => {
  it("wrap from 65535 to 0", () => {
    expect(nextIndex(65_535)).toBe(0)
    expect(nextIndex(41)).toBe(42)
    expect(indexDistance(65_530, 4)).toBe(10)
  })

  it("call an index newer when it is less than half the space ahead, across the wrap", () => {
    expect(isNewerIndex(0, 65_535)).toBe(true)
    expect(isNewerIndex(65_535, 0)).toBe(false)
    expect(isNewerIndex(5, 5)).toBe(false)
    expect(isNewerIndex(0x7fff, 0)).toBe(true)
    expect(isNewerIndex(0x8000, 0)).toBe(false)
  })

  it("classify the next index, a duplicate and a skip", () => {
    expect(classifyIndex(null, 17)).toBe("next")
    expect(classifyIndex(65_535, 0)).toBe("next")
    expect(classifyIndex(10, 10)).toBe("duplicate")
    expect(classifyIndex(10, 3)).toBe("duplicate")
    expect(classifyIndex(10, 12)).toBe("skip")
    expect(classifyIndex(65_535, 1)).toBe("skip")
  })
})

describe("capabilities, read off each version's schema", () => {
  // One column per version, v1 … v7, written from the schema changes in the reference
  // (README.md for v1–v3, v4-v7.md §2 for the rest), not from the code under test.
  const table: Record<keyof Capabilities, readonly unknown[]> = {
    messageIndex: [false, true, true, true, true, true, true],
    webSocketMessageAck: [false, true, true, true, true, true, true],
    canHibernate: [false, true, true, true, true, true, true],
    closeHibernateFlag: [false, true, true, true, true, true, true],
    restoreHibernatingOnStart: [false, false, true, true, true, true, true],
    lastMsgIndexOnOpen: [false, true, false, false, false, false, false],
    checkpoints: [false, false, false, true, true, true, true],
    generationInCheckpoint: [false, false, false, false, true, true, true],
    initLastIndexes: [true, true, true, false, false, false, false],
    pingSender: ["runner", "runner", "runner", "gateway", "gateway", "gateway", "gateway"],
    toClientClose: [true, true, true, false, false, false, false],
    toRunnerClose: [false, false, false, true, true, true, true],
    tunnelAck: [true, true, true, false, false, false, false],
    requestIdLength: [16, 16, 16, 4, 4, 4, 4],
    messageIdLength: [16, 16, 16, 10, 10, 10, 10],
    gatewayIdInMessageId: [false, false, false, true, true, true, true],
    hibernatingRequestIdPairs: [false, false, false, true, true, true, true],
    kvDeleteRange: [false, false, false, false, false, false, true],
    metadataStopThresholds: [false, false, false, false, false, true, true],
    serverlessInitVersion: [false, false, false, true, true, true, true],
    runnerLostThreshold: [true, true, true, true, true, true, true],
  }

  it.each([1, 2, 3, 4, 5, 6, 7])("v%i has exactly its column of the table", (version) => {
    const expected = Object.fromEntries(
      Object.entries(table).map(([name, column]) => [name, column[version - 1]]),
    )
    expect(capabilities(version)).toEqual(expected)
  })

  it("refuse an unknown version", () => {
    expect(() => capabilities(9)).toThrow(VersionError)
  })
})

describe("runner eviction per version", () => {
  const { evicted, engineEviction } = RunnerConnectionClose

  it.each([1, 2, 3])("v%i: the gateway's eviction reason, with or without a ray id", (version) => {
    expect(isEvictionReason(version, evicted.reason)).toBe(true)
    expect(isEvictionReason(version, withRayId(evicted.reason, "a1b2"))).toBe(true)
    expect(isEvictionReason(version, withRayId(engineEviction.reason, "a1b2"))).toBe(false)
  })

  it.each([4, 5, 6, 7])(
    "v%i: the engine's eviction reason, with or without a ray id",
    (version) => {
      expect(isEvictionReason(version, withRayId(engineEviction.reason, "a1b2"))).toBe(true)
      expect(isEvictionReason(version, engineEviction.reason)).toBe(true)
      expect(isEvictionReason(version, withRayId(GatewayClose.shutdown.reason, "a1b2"))).toBe(false)
      expect(isEvictionReason(version, evicted.reason)).toBe(false)
    },
  )
})

describe("the gateway's hibernation rule", () => {
  it("keeps a socket only when the runner allowed it on a version that can say so", () => {
    expect(keepsSocketWhileActorAway({ version: 3, canHibernate: true })).toBe(true)
    expect(keepsSocketWhileActorAway({ version: 3, canHibernate: false })).toBe(false)
    expect(keepsSocketWhileActorAway({ version: 1, canHibernate: true })).toBe(false)
  })

  it("hibernates on a runner close only for canHibernate && close.hibernate", () => {
    expect(closeHibernates({ version: 2, canHibernate: true, closeHibernate: true })).toBe(true)
    expect(closeHibernates({ version: 2, canHibernate: true, closeHibernate: false })).toBe(false)
    expect(closeHibernates({ version: 3, canHibernate: false, closeHibernate: true })).toBe(false)
  })

  it("numbers messages only on sockets that can hibernate, as Rivet's gateway does", () => {
    expect(numbersMessages({ version: 2, canHibernate: true })).toBe(true)
    expect(numbersMessages({ version: 3, canHibernate: true })).toBe(true)
    expect(numbersMessages({ version: 3, canHibernate: false })).toBe(false)
    expect(numbersMessages({ version: 1, canHibernate: true })).toBe(false)
  })

  it("replays held messages behind the start command only to runners known to hold them (v4+)", () => {
    const replaying = PROTOCOL_VERSIONS.filter((version) => replaysWithStart(version))
    expect(replaying).toEqual(PROTOCOL_VERSIONS.filter((version) => version >= 4))
  })
})

describe("close rules", () => {
  it("keep the codes and reasons on the wire, pinned in close-rules.json", () => {
    // The reason strings live in one source file; the wire contract they form is pinned as data.
    const pinned = JSON.parse(readFileSync(new URL("./close-rules.json", import.meta.url), "utf8"))
    const actual = {
      runner: mapValues(RunnerClose),
      gateway: mapValues(GatewayClose),
      runnerConnection: mapValues(RunnerConnectionClose),
      runnerShutdown: RUNNER_SHUTDOWN_REASON,
    }
    expect(actual).toEqual(pinned)
  })

  it("close an index skip with a policy violation and default a bare actor close to normal", () => {
    expect(RunnerClose.messageIndexSkip.code).toBe(CloseCode.policyViolation)
    expect(GatewayClose.closed.code).toBe(CloseCode.normal)
  })

  it("never reuse a reason string for two rules", () => {
    const reasons = [
      ...Object.values(RunnerClose),
      ...Object.values(GatewayClose),
      ...Object.values(RunnerConnectionClose),
    ].map((r) => r.reason)
    expect(new Set(reasons).size).toBe(reasons.length)
  })

  it("say which codes and reasons a close frame cannot carry", () => {
    for (const code of [1000, 1001, 1011, 1014, 3000, 4999])
      expect(closeFrameProblem(code, "x".repeat(123))).toBeNull()
    expect(closeFrameProblem(null, null)).toBeNull()
    for (const code of [999, 1004, 1005, 1006, 1015, 2999, 5000, 1000.5])
      expect(closeFrameProblem(code, null)).toBe(`close code ${code} cannot be sent`)
    expect(closeFrameProblem(1000, "é".repeat(62))).toBe(
      "close reason of 124 UTF-8 bytes exceeds 123",
    )
  })

  it("append and strip a ray id", () => {
    const reason = withRayId(GatewayClose.serviceTimeout.reason, "r4y")
    expect(reason).toBe("guard.websocket_service_timeout#r4y")
    expect(withoutRayId(reason)).toBe(GatewayClose.serviceTimeout.reason)
    expect(withoutRayId(GatewayClose.serviceTimeout.reason)).toBe(
      GatewayClose.serviceTimeout.reason,
    )
  })

  it("close the client with the actor's code and reason, each defaulting to GatewayClose.closed", () => {
    expect(clientCloseFor(4000, "bye")).toEqual({ code: 4000, reason: "bye" })
    const { code, reason } = GatewayClose.closed
    expect(clientCloseFor(null, null)).toEqual({ code, reason })
    expect(clientCloseFor(4000, null)).toEqual({ code: 4000, reason: GatewayClose.closed.reason })
    expect(clientCloseFor(null, "bye")).toEqual({ code: GatewayClose.closed.code, reason: "bye" })
    expect(clientCloseFor(0, "")).toEqual({ code: 0, reason: "" })
  })
})

describe("the runner connect URL", () => {
  it("carries version, namespace and runner key in the query", () => {
    const url = runnerConnectUrl("http://127.0.0.1:6420", {
      protocolVersion: 2,
      namespace: "default",
      runnerKey: "k 1",
    })
    expect(url).toBe(
      "ws://127.0.0.1:6420/runners/connect?protocol_version=2&namespace=default&runner_key=k+1",
    )
    expect(parseRunnerConnectUrl(new URL(url))).toEqual({
      ok: true,
      params: { protocolVersion: 2, namespace: "default", runnerKey: "k 1" },
    })
  })

  it("is a secure WebSocket URL exactly when the endpoint is secure", () => {
    const params = { protocolVersion: 3, namespace: "n", runnerKey: "k" }
    const scheme = (endpoint: string) => new URL(runnerConnectUrl(endpoint, params)).protocol
    expect(scheme("http://h")).toBe("ws:")
    expect(scheme("ws://h")).toBe("ws:")
    expect(scheme("https://h")).toBe("wss:")
    expect(scheme("wss://h")).toBe("wss:")
  })

  it.each([
    ["x", "protocol_version must be a positive integer"],
    ["0", "protocol_version must be a positive integer"],
    ["01", "protocol_version must be a positive integer"],
    ["1x", "protocol_version must be a positive integer"],
    ["x1", "protocol_version must be a positive integer"],
    ["1 2", "protocol_version must be a positive integer"],
  ])("is refused with protocol_version=%s", (version, error) => {
    const url = new URL("ws://h/runners/connect?namespace=n&runner_key=k")
    url.searchParams.set("protocol_version", version)
    expect(parseRunnerConnectUrl(url)).toEqual({ ok: false, error })
  })

  it.each([
    [
      "another path",
      "ws://h/runners?protocol_version=1&namespace=n&runner_key=k",
      "not /runners/connect",
    ],
    [
      "no version",
      "ws://h/runners/connect?namespace=n&runner_key=k",
      "protocol_version must be a positive integer",
    ],
    [
      "no namespace",
      "ws://h/runners/connect?protocol_version=1&runner_key=k",
      "namespace is required",
    ],
    [
      "an empty namespace",
      "ws://h/runners/connect?protocol_version=1&namespace=&runner_key=k",
      "namespace is required",
    ],
    [
      "no runner key",
      "ws://h/runners/connect?protocol_version=1&namespace=n",
      "runner_key is required",
    ],
    [
      "an empty runner key",
      "ws://h/runners/connect?protocol_version=1&namespace=n&runner_key=",
      "runner_key is required",
    ],
  ])("is refused with %s", (_what, url, error) => {
    expect(parseRunnerConnectUrl(new URL(url))).toEqual({ ok: false, error })
  })

  it("accepts a multi-digit version", () => {
    const url = new URL("ws://h/runners/connect?protocol_version=10&namespace=n&runner_key=k")
    expect(parseRunnerConnectUrl(url)).toEqual({
      ok: true,
      params: { protocolVersion: 10, namespace: "n", runnerKey: "k" },
    })
  })

  it("carries the token as a rivet_token. subprotocol", () => {
    expect(runnerSubprotocols("s3cret")).toEqual(["rivet", "rivet_token.s3cret"])
    expect(runnerSubprotocols(undefined)).toEqual(["rivet"])
    expect(tokenFromSubprotocols(["rivet", "rivet_token.s3cret"])).toBe("s3cret")
    expect(tokenFromSubprotocols(["rivet"])).toBeUndefined()
  })
})

describe("ids", () => {
  it("are 16 random bytes, keyed by their lowercase hex", () => {
    const [a, b] = [newId(), newId()]
    expect(a.byteLength).toBe(ID_LENGTH)
    expect(ID_LENGTH).toBe(16)
    expect(idKey(a)).not.toBe(idKey(b))
    expect(idKey(Uint8Array.from([0, 0xab, 0x10, 0xff]).buffer)).toBe("00ab10ff")
  })
})

function mapValues(rules: Readonly<Record<string, CloseRule>>): Record<string, [number, string]> {
  return Object.fromEntries(
    Object.entries(rules).map(([name, rule]) => [name, [rule.code, rule.reason]]),
  )
}
