// The v1 corpus: the shared fixtures plus every message whose v1 type is v1's own.
import { RunnerClose, v1 } from "../../src/index.js"
import type { FixtureTable, GoldenFixture } from "./corpus.js"
import {
  requestStart,
  responseStart,
  sharedToClient,
  sharedToClientKinds,
  sharedToServer,
  sharedToServerKinds,
  sharedToServerlessServer,
  toClientTunnel,
  toGateway,
  toServerTunnel,
} from "./fixtures-shared.js"
import {
  ACTOR_ID,
  ACTOR_INPUT,
  ACTOR_NAME,
  ALARM_TS,
  CREATE_TS,
  GATEWAY_REPLY_TO,
  LATE_EVENT_INDEX,
  OTHER_ACTOR_ID,
  WEBSOCKET_BINARY,
  WEBSOCKET_TEXT,
} from "./values.js"

function events(name: string, ...inner: v1.Event[]): GoldenFixture<v1.ToServer> {
  return {
    name: `ToServerEvents.${name}`,
    message: {
      tag: "ToServerEvents",
      val: inner.map((event, i) => ({ index: 40n + BigInt(i), inner: event })),
    },
  }
}

function commands(name: string, ...inner: v1.Command[]): GoldenFixture<v1.ToClient> {
  return {
    name: `ToClientCommands.${name}`,
    message: {
      tag: "ToClientCommands",
      val: inner.map((command, i) => ({ index: 18n + BigInt(i), inner: command })),
    },
  }
}

const sleepIntent: v1.Event = {
  tag: "EventActorIntent",
  val: { actorId: ACTOR_ID, generation: 2, intent: { tag: "ActorIntentSleep", val: null } },
}
const running: v1.Event = {
  tag: "EventActorStateUpdate",
  val: { actorId: ACTOR_ID, generation: 2, state: { tag: "ActorStateRunning", val: null } },
}
const alarm: v1.Event = {
  tag: "EventActorSetAlarm",
  val: { actorId: ACTOR_ID, generation: 2, alarmTs: ALARM_TS },
}

const startActor: v1.CommandStartActor = {
  actorId: ACTOR_ID,
  generation: 2,
  config: { name: ACTOR_NAME, key: "general", createTs: CREATE_TS, input: ACTOR_INPUT },
}

const webSocketClose: GoldenFixture<v1.ToServerTunnelMessageKind> = {
  name: "ToServerWebSocketClose",
  message: {
    tag: "ToServerWebSocketClose",
    val: { code: RunnerClose.actorStopped.code, reason: RunnerClose.actorStopped.reason },
  },
}

const toServerKinds: readonly GoldenFixture<v1.ToServerTunnelMessageKind>[] = [
  ...sharedToServerKinds,
  { name: "ToServerWebSocketOpen", message: { tag: "ToServerWebSocketOpen", val: null } },
  webSocketClose,
  {
    name: "ToServerWebSocketClose.no-status",
    message: { tag: "ToServerWebSocketClose", val: { code: null, reason: null } },
  },
]

const toClientKinds: readonly GoldenFixture<v1.ToClientTunnelMessageKind>[] = [
  ...sharedToClientKinds,
  {
    name: "ToClientWebSocketMessage",
    message: { tag: "ToClientWebSocketMessage", val: { data: WEBSOCKET_TEXT, binary: false } },
  },
  {
    name: "ToClientWebSocketMessage.binary",
    message: { tag: "ToClientWebSocketMessage", val: { data: WEBSOCKET_BINARY, binary: true } },
  },
]

export const v1Fixtures: FixtureTable<typeof v1.rootTypes> = {
  ToServer: [
    ...sharedToServer,
    events("EventActorIntent.ActorIntentSleep", sleepIntent),
    events("EventActorIntent.ActorIntentStop", {
      tag: "EventActorIntent",
      val: { actorId: ACTOR_ID, generation: 2, intent: { tag: "ActorIntentStop", val: null } },
    }),
    events("EventActorStateUpdate.ActorStateRunning", running),
    events("EventActorStateUpdate.ActorStateStopped", {
      tag: "EventActorStateUpdate",
      val: {
        actorId: ACTOR_ID,
        generation: 2,
        state: {
          tag: "ActorStateStopped",
          val: { code: v1.StopCode.Error, message: "TypeError: room.members is undefined" },
        },
      },
    }),
    events("EventActorStateUpdate.ActorStateStopped.ok", {
      tag: "EventActorStateUpdate",
      val: {
        actorId: OTHER_ACTOR_ID,
        generation: 7,
        state: { tag: "ActorStateStopped", val: { code: v1.StopCode.Ok, message: null } },
      },
    }),
    events("EventActorSetAlarm", alarm),
    events("EventActorSetAlarm.cleared", {
      tag: "EventActorSetAlarm",
      val: { actorId: ACTOR_ID, generation: 2, alarmTs: null },
    }),
    events("batch", running, alarm, sleepIntent),
    {
      name: "ToServerEvents.late-index",
      message: { tag: "ToServerEvents", val: [{ index: LATE_EVENT_INDEX, inner: running }] },
    },
    ...toServerKinds.map(toServerTunnel),
  ],
  ToClient: [
    ...sharedToClient,
    commands("CommandStartActor", { tag: "CommandStartActor", val: startActor }),
    commands("CommandStartActor.keyless", {
      tag: "CommandStartActor",
      val: {
        actorId: OTHER_ACTOR_ID,
        generation: 0,
        config: { name: "presence", key: null, createTs: CREATE_TS, input: null },
      },
    }),
    commands("CommandStopActor", {
      tag: "CommandStopActor",
      val: { actorId: ACTOR_ID, generation: 2 },
    }),
    ...toClientKinds.map((kind) => toClientTunnel(kind)),
    toClientTunnel(requestStart, GATEWAY_REPLY_TO),
  ],
  ToGateway: [toGateway(responseStart), toGateway(webSocketClose)],
  ToServerlessServer: sharedToServerlessServer,
}
