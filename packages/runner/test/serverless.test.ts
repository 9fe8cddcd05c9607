// Issue #12 point 1 (serverless), the runner's side: the init packet a serverless endpoint streams
// to the gateway once its runner is accepted.
import { decodeToServerlessServerFrame, PROTOCOL_VERSIONS } from "@tunnelwire/protocol"
import * as rivet from "rivet-protocol-v7"
import { afterEach, describe, expect, it } from "vitest"
import { Runner } from "../src/index.js"
import { serverlessInitPacket } from "../src/serverless.js"
import { ENGINE_METADATA, ReferenceGateway } from "./support/reference-gateway.js"

const RUNNER_ID = "5f0e7b9c-3a6d-4e21-9b8f-0c1d2e3f4a5b"

/**
 * Rivet's `Runner.getServerlessInitPacket()` (node_modules/rivet-runner-v7/src/mod.ts:1818-1835)
 * restated over its published codec: u16-LE protocol version, then the encoded init, in base64.
 */
function rivetInitPacket(runnerId: string): string {
  const data = rivet.encodeToServerlessServer({
    tag: "ToServerlessServerInit",
    val: { runnerId, runnerProtocolVersion: 7 },
  })
  const buffer = Buffer.alloc(data.length + 2)
  buffer.writeUInt16LE(7, 0)
  Buffer.from(data).copy(buffer, 2)
  return buffer.toString("base64")
}

let gateway: ReferenceGateway | undefined
let runner: Runner | undefined

afterEach(async () => {
  await runner?.shutdown()
  await gateway?.close()
  runner = undefined
  gateway = undefined
})

describe("serverlessInitPacket", () => {
  it("is null until the gateway accepts the runner, then the bytes Rivet's 2.2.1 runner sends", async () => {
    gateway = await ReferenceGateway.start()
    runner = new Runner({
      endpoint: gateway.url,
      namespace: "default",
      runnerName: "serverless",
      shutdownTimeoutMs: 500,
      handlers: { onActorStart: () => {}, onActorStop: () => {} },
    })
    expect(runner.serverlessInitPacket()).toBeNull()
    const started = runner.start()
    await gateway.next("ToServerInit")
    gateway.send({ tag: "ToClientInit", val: { runnerId: RUNNER_ID, metadata: ENGINE_METADATA } })
    await started
    expect(runner.serverlessInitPacket()).toBe(rivetInitPacket(RUNNER_ID))
  })

  it.each(PROTOCOL_VERSIONS)(
    "at v%i names the runner and the version the engine reads (3 for v1–v3)",
    (version) => {
      const packet = Buffer.from(serverlessInitPacket(RUNNER_ID, version), "base64")
      expect(packet.readUInt16LE(0)).toBe(version)
      const { message } = decodeToServerlessServerFrame(packet)
      expect(message.val).toEqual({
        runnerId: RUNNER_ID,
        runnerProtocolVersion: version >= 4 ? version : 3,
      })
    },
  )
})
