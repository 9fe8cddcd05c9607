// A v7 runner that sends frames the codec accepts but the session never allows: events and
// acknowledgements for actors it was never given, KV for unknown actors, tunnel messages for
// requests that do not exist, a stop twice. The gateway must neither throw nor stop serving.
import type { latest } from "@tunnelwire/protocol"
import { afterEach, expect, it } from "vitest"
import { type Gateway, startGateway } from "../../src/index.js"
import { SecondFamilyRunner } from "../support/raw-second-family-runner.js"

let gateway: Gateway | undefined
const runners: SecondFamilyRunner[] = []

afterEach(async () => {
  for (const r of runners.splice(0)) r.kill()
  await gateway?.stop()
  gateway = undefined
})

const bytes = (length: number) => new Uint8Array(length).fill(7).buffer as ArrayBuffer
const unknownMessage = { gatewayId: bytes(4), requestId: bytes(4), messageIndex: 65535 }
const tunnel = (messageKind: latest.ToServerTunnelMessageKind): latest.ToServer => ({
  tag: "ToServerTunnelMessage",
  val: { messageId: unknownMessage, messageKind },
})

const OUT_OF_SESSION: latest.ToServer[] = [
  {
    tag: "ToServerEvents",
    val: [
      {
        checkpoint: { actorId: "never-given", generation: 4294967295, index: -5n },
        inner: {
          tag: "EventActorStateUpdate",
          val: { state: { tag: "ActorStateRunning", val: null } },
        },
      },
    ],
  },
  {
    tag: "ToServerEvents",
    val: [
      {
        checkpoint: { actorId: "never-given", generation: 1, index: 9223372036854775807n },
        inner: { tag: "EventActorIntent", val: { intent: { tag: "ActorIntentSleep", val: null } } },
      },
    ],
  },
  {
    tag: "ToServerAckCommands",
    val: { lastCommandCheckpoints: [{ actorId: "never-given", generation: 0, index: -1n }] },
  },
  {
    tag: "ToServerKvRequest",
    val: {
      actorId: "never-given",
      requestId: 4294967295,
      data: { tag: "KvDeleteRangeRequest", val: { start: bytes(100_000), end: bytes(0) } },
    },
  },
  {
    tag: "ToServerKvRequest",
    val: { actorId: "never-given", requestId: 1, data: { tag: "KvDropRequest", val: null } },
  },
  tunnel({
    tag: "ToServerResponseStart",
    val: { status: 99, headers: new Map([["a\n", "b"]]), body: bytes(10), stream: true },
  }),
  tunnel({ tag: "ToServerWebSocketMessage", val: { data: bytes(10), binary: true } }),
  tunnel({ tag: "ToServerWebSocketMessageAck", val: { index: 65535 } }),
  tunnel({
    tag: "ToServerWebSocketClose",
    val: { code: 5000, reason: "x".repeat(500), hibernate: true },
  }),
  tunnel({ tag: "ToServerWebSocketOpen", val: { canHibernate: true } }),
  { tag: "ToServerPong", val: { ts: -1n } },
  { tag: "ToServerStopping", val: null },
  { tag: "ToServerStopping", val: null },
]

it("a v7 runner's out-of-session frames neither throw in the gateway nor stop it serving", async () => {
  gateway = await startGateway({})
  const hostile = await new SecondFamilyRunner({ url: gateway.url, version: 7 }).start()
  runners.push(hostile)
  for (const message of OUT_OF_SESSION) hostile.send(message)
  // Frames on one connection are handled in order, so an answer to a request sent after them
  // shows every one was handled (an exception in a handler would surface as an unhandled error).
  const answer = await hostile.kv("never-given", 2, { tag: "KvGetRequest", val: { keys: [] } })
  expect(answer.tag).toBe("KvErrorResponse")
  const honest = await new SecondFamilyRunner({
    url: gateway.url,
    version: 7,
    runnerKey: "honest",
  }).start()
  runners.push(honest)
  expect(honest.received.some((f) => f.message.tag === "ToClientInit")).toBe(true)
  const listed = (await (await fetch(`${gateway.url}/runners`)).json()) as {
    runners: { runnerKey: string; version: number }[]
  }
  expect(listed.runners).toContainEqual(
    expect.objectContaining({ runnerKey: "honest", version: 7 }),
  )
})
