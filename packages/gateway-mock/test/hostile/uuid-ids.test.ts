// #14 item 12, gateway side: every id the gateway mints is an RFC 4122 version-4 UUID, because
// Rivet's runner refuses anything else on the first tunnel message.
import { isRfc4122v4, LATEST_VERSION, type latest } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { MessageIds } from "../../src/runners/message-ids.js"
import { useGateway } from "../support/fixture.js"
import { isUuidV4Text } from "../support/uuid.js"

const fixture = useGateway()

/** Every id field of the frames a runner received, by the field's name. */
function idsIn(received: latest.ToClient[]) {
  const bytes: Array<[string, ArrayBuffer]> = []
  const text: Array<[string, string]> = []
  for (const message of received) {
    if (message.tag === "ToClientInit") text.push(["runnerId", message.val.runnerId])
    if (message.tag === "ToClientCommands")
      for (const { inner } of message.val) {
        text.push(["actorId", inner.val.actorId])
        if (inner.tag === "CommandStartActor")
          for (const id of inner.val.hibernatingRequestIds) bytes.push(["hibernatingRequestId", id])
      }
    if (message.tag === "ToClientTunnelMessage") {
      bytes.push(["requestId", message.val.requestId])
      // A TunnelAck echoes the runner's own message id; every other one the gateway minted.
      if (message.val.messageKind.tag !== "TunnelAck")
        bytes.push(["messageId", message.val.messageId])
    }
  }
  return { bytes, text }
}

describe("hostile peers: ids the gateway mints", () => {
  it("every request id, message id, actor id and runner id a runner sees in a session is a UUIDv4", async () => {
    const f = fixture()
    const runner = await f.runner({ version: LATEST_VERSION, name: "ids" })
    const actor = f.gateway.createActor({ name: "ids", runnerName: "ids" })
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${f.gateway.url}/gateway/${actor.actorId}/req${i}`, {
        method: "POST",
        body: "x",
      })
      expect(response.status).toBe(200)
    }
    const client = f.client(actor.actorId)
    await client.opened
    for (let i = 0; i < 20; i++) client.send(`m${i}`)
    await client.until(() => client.messages.length === 20)
    f.gateway.sleepActor(actor.actorId)
    client.send("wake")
    await client.until(() => client.messages.length === 21)

    const { bytes, text } = idsIn(runner.received)
    const names = new Set(bytes.map(([name]) => name))
    expect(names).toEqual(new Set(["requestId", "messageId", "hibernatingRequestId"]))
    expect(bytes.filter(([, id]) => !isRfc4122v4(id))).toEqual([])
    expect(text.filter(([, id]) => !isUuidV4Text(id))).toEqual([])
    const messageIds = bytes.filter(([name]) => name === "messageId").map(([, id]) => hex(id))
    expect(new Set(messageIds).size).toBe(messageIds.length)
    expect(messageIds.length).toBeGreaterThan(20)
  })

  it("message ids stay UUIDv4, unique and distinct in their first 4 bytes, and map back to their number", () => {
    const ids = new MessageIds()
    const minted = Array.from({ length: 30_000 }, () => ids.mint())
    expect(minted.every((m) => isRfc4122v4(m.id))).toBe(true)
    expect(new Set(minted.map((m) => hex(m.id))).size).toBe(minted.length)
    // The stringifier shows ids by their first 4 bytes: those must differ too.
    expect(new Set(minted.map((m) => hex(m.id.slice(0, 4)))).size).toBe(minted.length)
    expect(minted.every((m, i) => ids.seqOf(m.id) === i)).toBe(true)
    expect(new MessageIds().seqOf(minted[0]!.id)).toBeNull()
  })

  it("message ids past 2^32 keep their number, and the version bits stay out of the count", () => {
    const ids = new MessageIds()
    const id = ids.mint().id
    const view = new DataView(id)
    view.setUint32(0, 5)
    view.setUint16(4, 1)
    expect(ids.seqOf(id)).toBe(2 ** 32 + 5)
    expect(isRfc4122v4(id)).toBe(true)
  })
})

function hex(id: ArrayBuffer): string {
  return Buffer.from(id).toString("hex")
}
