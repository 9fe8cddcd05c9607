// The defaults each changed type gets on the way up and the losses it reports on the way down,
// one type at a time, on hand-built messages of each version.

import { migrationContext, upgradeContext } from "@tunnelwire/runtime/codegen"
import { describe, expect, it } from "vitest"
import * as steps1to2 from "../../src/gen/migrations/v1-v2.js"
import * as steps2to3 from "../../src/gen/migrations/v2-v3.js"
import { v1, v2, v3 } from "../../src/index.js"
import {
  bytes,
  messageId,
  olderStartActor,
  requestId,
  v1ToClient,
  v1ToServer,
  v2ToServer,
  v3StartActor,
  v3ToClient,
  v3ToServer,
} from "./messages.js"
import { dropRecorder, hex, refusalOf } from "./observed.js"
import {
  decodeToClient,
  decodeToServer,
  downgradeToGateway,
  downgradeToServer,
  encodeToClient,
  encodeToServer,
  encodeToServerFrame,
} from "./v3-shaped.js"

const payload = bytes(5, 0x61)

describe("ToClientWebSocketMessage", () => {
  const v1Message = v1ToClient({
    tag: "ToClientWebSocketMessage",
    val: { data: payload, binary: false },
  })

  function latestMessage(index: number): v3.ToClient {
    return v3ToClient({
      tag: "ToClientWebSocketMessage",
      val: { index, data: payload, binary: false },
    })
  }

  it("reads a v1 message, which has no index, with index 0", () => {
    const decoded = decodeToClient(v1.encodeToClient(v1Message), { version: 1 })
    expect(decoded).toStrictEqual(latestMessage(0))
  })

  it("writes index 0 to v1 as the message without an index", () => {
    expect(hex(encodeToClient(latestMessage(0), { version: 1 }))).toBe(
      hex(v1.encodeToClient(v1Message)),
    )
  })

  it("refuses a non-zero index to v1, naming the field and the version", () => {
    expect(refusalOf(() => encodeToClient(latestMessage(1234), { version: 1 }))).toEqual({
      type: "ToClientWebSocketMessage",
      field: "index",
      targetVersion: 1,
    })
  })

  it('under lossy "drop", writes a non-zero index to v1 without it and reports the loss', () => {
    const { options, losses } = dropRecorder()
    const written = encodeToClient(latestMessage(1234), { ...options, version: 1 })
    expect(hex(written)).toBe(hex(v1.encodeToClient(v1Message)))
    expect(losses).toEqual([
      { type: "ToClientWebSocketMessage", field: "index", targetVersion: 1, dropsMessage: false },
    ])
  })
})

describe("ToServerWebSocketOpen", () => {
  const v1Open = v1ToServer({ tag: "ToServerWebSocketOpen", val: null })

  function v2Open(canHibernate: boolean, lastMsgIndex: bigint): v2.ToServer {
    return v2ToServer({ tag: "ToServerWebSocketOpen", val: { canHibernate, lastMsgIndex } })
  }

  function latestOpen(canHibernate: boolean): v3.ToServer {
    return v3ToServer({ tag: "ToServerWebSocketOpen", val: { canHibernate } })
  }

  it("upgrades the v1 open (void) to v2 as cannot hibernate, nothing received (-1)", () => {
    expect(steps1to2.upgrade.ToServerWebSocketOpen(null, upgradeContext(1, 2))).toStrictEqual({
      canHibernate: false,
      lastMsgIndex: -1n,
    })
  })

  it("reads a v1 open as cannot hibernate", () => {
    expect(decodeToServer(v1.encodeToServer(v1Open), { version: 1 })).toStrictEqual(
      latestOpen(false),
    )
  })

  it("writes an open that cannot hibernate to v1 as the void open", () => {
    expect(hex(encodeToServer(latestOpen(false), { version: 1 }))).toBe(
      hex(v1.encodeToServer(v1Open)),
    )
  })

  it("refuses canHibernate: true to v1", () => {
    expect(refusalOf(() => encodeToServer(latestOpen(true), { version: 1 }))).toEqual({
      type: "ToServerWebSocketOpen",
      field: "canHibernate",
      targetVersion: 1,
    })
  })

  it('under lossy "drop", writes canHibernate: true to v1 as the void open and reports it', () => {
    const { options, losses } = dropRecorder()
    const written = encodeToServer(latestOpen(true), { ...options, version: 1 })
    expect(hex(written)).toBe(hex(v1.encodeToServer(v1Open)))
    expect(losses).toEqual([
      {
        type: "ToServerWebSocketOpen",
        field: "canHibernate",
        targetVersion: 1,
        dropsMessage: false,
      },
    ])
  })

  it("downgrades a v2 lastMsgIndex of -1 to v1 and refuses any other", () => {
    const down = (lastMsgIndex: bigint) =>
      steps1to2.downgrade.ToServerWebSocketOpen(
        { canHibernate: false, lastMsgIndex },
        migrationContext(2, 1),
      )
    expect(down(-1n)).toBeNull()
    expect(refusalOf(() => down(41n))).toEqual({
      type: "ToServerWebSocketOpen",
      field: "lastMsgIndex",
      targetVersion: 1,
    })
  })

  it("drops lastMsgIndex reading v2: v3 has no such field", () => {
    const decoded = decodeToServer(v2.encodeToServer(v2Open(true, 41n)), { version: 2 })
    expect(decoded).toStrictEqual(latestOpen(true))
  })

  it("fills lastMsgIndex with -1 (nothing received) writing v2", () => {
    expect(hex(encodeToServer(latestOpen(true), { version: 2 }))).toBe(
      hex(v2.encodeToServer(v2Open(true, -1n))),
    )
    expect(
      steps2to3.downgrade.ToServerWebSocketOpen({ canHibernate: true }, migrationContext(3, 2)),
    ).toStrictEqual({ canHibernate: true, lastMsgIndex: -1n })
  })
})

describe("ToServerWebSocketClose", () => {
  const v1Close = v1ToServer({
    tag: "ToServerWebSocketClose",
    val: { code: 1000, reason: "room closed" },
  })

  function latestClose(hibernate: boolean): v3.ToServer {
    return v3ToServer({
      tag: "ToServerWebSocketClose",
      val: { code: 1000, reason: "room closed", hibernate },
    })
  }

  function v2Close(retry: boolean): v2.ToServer {
    return v2ToServer({
      tag: "ToServerWebSocketClose",
      val: { code: 1000, reason: "room closed", retry },
    })
  }

  it("reads a v1 close as retry: false in v2 and hibernate: false in v3", () => {
    const close = { code: 1000, reason: "room closed" }
    expect(steps1to2.upgrade.ToServerWebSocketClose(close, upgradeContext(1, 2))).toStrictEqual({
      ...close,
      retry: false,
    })
    expect(decodeToServer(v1.encodeToServer(v1Close), { version: 1 })).toStrictEqual(
      latestClose(false),
    )
  })

  it("writes v2 retry and v3 hibernate as the same bytes", () => {
    for (const flag of [false, true]) {
      const v3Bytes = v3.encodeToServer(latestClose(flag))
      expect(hex(v2.encodeToServer(v2Close(flag)))).toBe(hex(v3Bytes))
      expect(hex(encodeToServer(latestClose(flag), { version: 2 }))).toBe(hex(v3Bytes))
      expect(decodeToServer(v3Bytes, { version: 2 })).toStrictEqual(latestClose(flag))
    }
  })

  it("writes hibernate: false to v1 as the v1 close", () => {
    expect(hex(encodeToServer(latestClose(false), { version: 1 }))).toBe(
      hex(v1.encodeToServer(v1Close)),
    )
  })

  it("refuses hibernate: true to v1, naming v2's field retry, the one the v1 step drops", () => {
    expect(refusalOf(() => encodeToServer(latestClose(true), { version: 1 }))).toEqual({
      type: "ToServerWebSocketClose",
      field: "retry",
      targetVersion: 1,
    })
  })

  it('under lossy "drop", writes hibernate: true to v1 as the v1 close and reports it', () => {
    const { options, losses } = dropRecorder()
    const written = encodeToServer(latestClose(true), { ...options, version: 1 })
    expect(hex(written)).toBe(hex(v1.encodeToServer(v1Close)))
    expect(losses).toEqual([
      { type: "ToServerWebSocketClose", field: "retry", targetVersion: 1, dropsMessage: false },
    ])
  })
})

describe("CommandStartActor", () => {
  const ids = [bytes(16, 0x80), bytes(16, 0x90)]

  it("reads a v2 (and v1) start without hibernating requests to restore", () => {
    const expected = v3StartActor([])
    expect(decodeToClient(v2.encodeToClient(olderStartActor()), { version: 2 })).toStrictEqual(
      expected,
    )
    expect(decodeToClient(v1.encodeToClient(olderStartActor()), { version: 1 })).toStrictEqual(
      expected,
    )
  })

  it("writes a start with an empty hibernatingRequestIds to v2 and v1", () => {
    for (const [version, encode] of [
      [2, v2.encodeToClient],
      [1, v1.encodeToClient],
    ] as const) {
      expect(hex(encodeToClient(v3StartActor([]), { version }))).toBe(
        hex(encode(olderStartActor())),
      )
    }
  })

  it("refuses a non-empty hibernatingRequestIds to v2, and to v1 at the same step", () => {
    for (const version of [2, 1] as const) {
      expect(refusalOf(() => encodeToClient(v3StartActor(ids), { version }))).toEqual({
        type: "CommandStartActor",
        field: "hibernatingRequestIds",
        targetVersion: 2,
      })
    }
  })

  it('under lossy "drop", writes the start to v2 without the ids and reports it', () => {
    const { options, losses } = dropRecorder()
    const written = encodeToClient(v3StartActor(ids), { ...options, version: 2 })
    expect(hex(written)).toBe(hex(v2.encodeToClient(olderStartActor())))
    expect(losses).toEqual([
      {
        type: "CommandStartActor",
        field: "hibernatingRequestIds",
        targetVersion: 2,
        dropsMessage: false,
      },
    ])
  })
})

describe("ToServerWebSocketMessageAck", () => {
  const ack = v3ToServer({ tag: "ToServerWebSocketMessageAck", val: { index: 17 } })
  const expectedLoss = {
    type: "ToServerTunnelMessageKind",
    field: "ToServerWebSocketMessageAck",
    targetVersion: 1,
  }

  it("writes an ack to v2 as v2 writes it", () => {
    const v2Ack = v2ToServer({ tag: "ToServerWebSocketMessageAck", val: { index: 17 } })
    expect(hex(encodeToServer(ack, { version: 2 }))).toBe(hex(v2.encodeToServer(v2Ack)))
  })

  it("refuses an ack to v1, which has no such message", () => {
    expect(refusalOf(() => encodeToServer(ack, { version: 1 }))).toEqual(expectedLoss)
    expect(refusalOf(() => downgradeToServer(ack, 1))).toEqual(expectedLoss)
  })

  it('under lossy "drop", sends nothing to v1 (null) and reports the dropped message', () => {
    const { options, losses } = dropRecorder()
    expect(encodeToServer(ack, { ...options, version: 1 })).toBeNull()
    expect(encodeToServerFrame(ack, { ...options, version: 1 })).toBeNull()
    expect(downgradeToServer(ack, 1, options)).toBeNull()
    const gatewayAck: v3.ToGateway = {
      message: {
        requestId,
        messageId,
        messageKind: { tag: "ToServerWebSocketMessageAck", val: { index: 17 } },
      },
    }
    expect(downgradeToGateway(gatewayAck, 1, options)).toBeNull()
    expect(losses).toEqual(Array(4).fill({ ...expectedLoss, dropsMessage: true }))
  })
})
