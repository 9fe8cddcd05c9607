// The v4–v7 corpora. v7's is v3's corpus read up into v7 (every message with a v7 counterpart)
// plus a message for every member v4 brought or v7 holds that v3 has no counterpart for; v4–v6
// are v7's written down to each version by the generated steps, keeping every message with a
// counterpart there. Each corpus is then frozen as bytes: a later change to a converter does not
// change a released vector, it fails the golden test.
import { DowngradeError, type v4, type v5, type v6, type v7 } from "../../src/index.js"
import { downgradeBetween, upgradeBetween } from "../migrations/chain.js"
import type { FixtureTable, GoldenFixture } from "./corpus.js"
import { v3Fixtures } from "./fixtures-v3.js"
import {
  ACTOR_ID,
  ACTOR_INPUT,
  ACTOR_NAME,
  CREATE_TS,
  KV_KEYS,
  OTHER_ACTOR_ID,
  PING_TS,
  RUNNER_ID,
  RUNNER_LOST_THRESHOLD_MS,
  WEBSOCKET_TEXT,
} from "./values.js"

type Roots = "ToServer" | "ToClient" | "ToGateway" | "ToServerlessServer"

const GATEWAY_ID = Uint8Array.of(0x47, 0x57, 0x00, 0x01).buffer
const REQUEST_ID = Uint8Array.of(0x52, 0x51, 0x00, 0x2a).buffer
const ACTOR_STOP_THRESHOLD_MS = 30_000n
const DRAIN_GRACE_PERIOD_MS = 10_000n

/** v3's fixtures of `root` in the v7 shape, those v7 can say. */
function fromV3(root: Roots): GoldenFixture<unknown>[] {
  return v3Fixtures[root].flatMap(({ name, message }) => {
    try {
      // ToGateway became a union in v4: its fixtures are named after the member they hold.
      const named = root === "ToGateway" ? `ToServerTunnelMessage.${name}` : name
      return [{ name: named, message: upgradeBetween(root, message, 3, 7) }]
    } catch (error) {
      if (error instanceof DowngradeError) return []
      throw error
    }
  })
}

const checkpoints: readonly v7.ActorCheckpoint[] = [
  { actorId: ACTOR_ID, generation: 2, index: 17n },
  { actorId: OTHER_ACTOR_ID, generation: 7, index: 0n },
]

const messageId: v7.MessageId = { gatewayId: GATEWAY_ID, requestId: REQUEST_ID, messageIndex: 1 }

const startActor: v7.CommandStartActor = {
  config: { name: ACTOR_NAME, key: "general", createTs: CREATE_TS, input: ACTOR_INPUT },
  hibernatingRequests: [{ gatewayId: GATEWAY_ID, requestId: REQUEST_ID }],
}

const v7Only = {
  ToServer: [
    {
      name: "ToServerAckCommands.checkpoints",
      message: { tag: "ToServerAckCommands", val: { lastCommandCheckpoints: checkpoints } },
    },
    { name: "ToServerPong", message: { tag: "ToServerPong", val: { ts: PING_TS } } },
    {
      name: "ToServerKvRequest.KvDeleteRangeRequest",
      message: {
        tag: "ToServerKvRequest",
        val: {
          actorId: ACTOR_ID,
          requestId: 9,
          data: { tag: "KvDeleteRangeRequest", val: { start: KV_KEYS[0]!, end: KV_KEYS[1]! } },
        },
      },
    },
  ],
  ToClient: [
    {
      name: "ToClientInit.thresholds",
      message: {
        tag: "ToClientInit",
        val: {
          runnerId: RUNNER_ID,
          metadata: {
            runnerLostThreshold: RUNNER_LOST_THRESHOLD_MS,
            actorStopThreshold: ACTOR_STOP_THRESHOLD_MS,
            serverlessDrainGracePeriod: DRAIN_GRACE_PERIOD_MS,
          },
        },
      },
    },
    {
      name: "ToClientAckEvents.checkpoints",
      message: { tag: "ToClientAckEvents", val: { lastEventCheckpoints: checkpoints } },
    },
    {
      name: "ToClientCommands.hibernating",
      message: {
        tag: "ToClientCommands",
        val: [
          { checkpoint: checkpoints[0]!, inner: { tag: "CommandStartActor", val: startActor } },
        ],
      },
    },
    { name: "ToClientPing", message: { tag: "ToClientPing", val: { ts: PING_TS } } },
  ],
  ToRunner: [
    {
      name: "ToRunnerPing",
      message: {
        tag: "ToRunnerPing",
        val: { gatewayId: GATEWAY_ID, requestId: REQUEST_ID, ts: PING_TS },
      },
    },
    { name: "ToRunnerClose", message: { tag: "ToRunnerClose", val: null } },
    {
      name: "ToClientCommands",
      message: {
        tag: "ToClientCommands",
        val: [{ checkpoint: checkpoints[1]!, inner: { tag: "CommandStopActor", val: null } }],
      },
    },
    {
      name: "ToClientAckEvents",
      message: { tag: "ToClientAckEvents", val: { lastEventCheckpoints: checkpoints } },
    },
    {
      name: "ToClientTunnelMessage",
      message: {
        tag: "ToClientTunnelMessage",
        val: {
          messageId,
          messageKind: {
            tag: "ToClientWebSocketMessage",
            val: { data: WEBSOCKET_TEXT, binary: false },
          },
        },
      },
    },
  ],
  ToGateway: [
    {
      name: "ToGatewayPong",
      message: { tag: "ToGatewayPong", val: { requestId: REQUEST_ID, ts: PING_TS } },
    },
  ],
  ToServerlessServer: [
    {
      name: "ToServerlessServerInit.v7",
      message: {
        tag: "ToServerlessServerInit",
        val: { runnerId: RUNNER_ID, runnerProtocolVersion: 7 },
      },
    },
  ],
  ActorCommandKeyData: [
    { name: "CommandStartActor", message: { tag: "CommandStartActor", val: startActor } },
    { name: "CommandStopActor", message: { tag: "CommandStopActor", val: null } },
  ],
} satisfies Partial<FixtureTable<typeof v7.rootTypes>>

export const v7Fixtures: FixtureTable<typeof v7.rootTypes> = {
  ToServer: [...(fromV3("ToServer") as GoldenFixture<v7.ToServer>[]), ...v7Only.ToServer],
  ToClient: [...(fromV3("ToClient") as GoldenFixture<v7.ToClient>[]), ...v7Only.ToClient],
  ToGateway: [...(fromV3("ToGateway") as GoldenFixture<v7.ToGateway>[]), ...v7Only.ToGateway],
  ToServerlessServer: [
    ...(fromV3("ToServerlessServer") as GoldenFixture<v7.ToServerlessServer>[]),
    ...v7Only.ToServerlessServer,
  ],
  ToRunner: v7Only.ToRunner,
  ActorCommandKeyData: v7Only.ActorCommandKeyData,
}

/** v7's fixtures written down to `version`, each that has a counterpart there. */
function downTo<Table>(version: number): Table {
  const table: Record<string, GoldenFixture<unknown>[]> = {}
  for (const [root, fixtures] of Object.entries(v7Fixtures)) {
    table[root] = (fixtures as readonly GoldenFixture<unknown>[]).flatMap(({ name, message }) => {
      const down = downgradeBetween(root, message, 7, version, { lossy: "drop" })
      return down === null ? [] : [{ name, message: down }]
    })
  }
  return table as Table
}

export const v6Fixtures = downTo<FixtureTable<typeof v6.rootTypes>>(6)
export const v5Fixtures = downTo<FixtureTable<typeof v5.rootTypes>>(5)
export const v4Fixtures = downTo<FixtureTable<typeof v4.rootTypes>>(4)
