// The v2 corpus: the shared fixtures plus every message whose v2 type is v2's own.
import { NO_MESSAGE_INDEX, RunnerClose, v2 } from "../../src/index.js"
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

function events(name: string, ...inner: v2.Event[]): GoldenFixture<v2.ToServer> {
  return {
    name: `ToServerEvents.${name}`,
    message: {
      tag: "ToServerEvents",
      val: inner.map((event, i) => ({ index: 40n + BigInt(i), inner: event })),
    },
  }
}

function commands(name: string, ...inner: v2.Command[]): GoldenFixture<v2.ToClient> {
  return {
    name: `ToClientCommands.${name}`,
    message: {
      tag: "ToClientCommands",
      val: inner.map((command, i) => ({ index: 18n + BigInt(i), inner: command })),
    },
  }
}

const sleepIntent: v2.Event = {
  tag: "EventActorIntent",
  val: { actorId: ACTOR_ID, generation: 2, intent: { tag: "ActorIntentSleep", val: null } },
}
const running: v2.Event = {
  tag: "EventActorStateUpdate",
  val: { actorId: ACTOR_ID, generation: 2, state: { tag: "ActorStateRunning", val: null } },
}
const alarm: v2.Event = {
  tag: "EventActorSetAlarm",
  val: { actorId: ACTOR_ID, generation: 2, alarmTs: ALARM_TS },
}

const startActor: v2.CommandStartActor = {
  actorId: ACTOR_ID,
  generation: 2,
  config: { name: ACTOR_NAME, key: "general", createTs: CREATE_TS, input: ACTOR_INPUT },
}

const webSocketClose: GoldenFixture<v2.ToServerTunnelMessageKind> = {
  name: "ToServerWebSocketClose",
  message: {
    tag: "ToServerWebSocketClose",
    val: {
      code: RunnerClose.actorStopped.code,
      reason: RunnerClose.actorStopped.reason,
      retry: false,
    },
  },
}

const toServerKinds: readonly GoldenFixture<v2.ToServerTunnelMessageKind>[] = [
  ...sharedToServerKinds,
  {
    name: "ToServerWebSocketOpen",
    message: {
      tag: "ToServerWebSocketOpen",
      val: { canHibernate: true, lastMsgIndex: NO_MESSAGE_INDEX },
    },
  },
  {
    name: "ToServerWebSocketOpen.resumed",
    message: { tag: "ToServerWebSocketOpen", val: { canHibernate: true, lastMsgIndex: 299n } },
  },
  {
    name: "ToServerWebSocketMessageAck",
    message: { tag: "ToServerWebSocketMessageAck", val: { index: 300 } },
  },
  webSocketClose,
  {
    name: "ToServerWebSocketClose.no-status",
    message: { tag: "ToServerWebSocketClose", val: { code: null, reason: null, retry: false } },
  },
  {
    name: "ToServerWebSocketClose.retry",
    message: {
      tag: "ToServerWebSocketClose",
      val: {
        code: RunnerClose.tunnelShutdown.code,
        reason: RunnerClose.tunnelShutdown.reason,
        retry: true,
      },
    },
  },
]

const toClientKinds: readonly GoldenFixture<v2.ToClientTunnelMessageKind>[] = [
  ...sharedToClientKinds,
  {
    name: "ToClientWebSocketMessage",
    message: {
      tag: "ToClientWebSocketMessage",
      val: { index: 300, data: WEBSOCKET_TEXT, binary: false },
    },
  },
  {
    name: "ToClientWebSocketMessage.binary",
    message: {
      tag: "ToClientWebSocketMessage",
      val: { index: 65535, data: WEBSOCKET_BINARY, binary: true },
    },
  },
]

export const v2Fixtures: FixtureTable<typeof v2.rootTypes> = {
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
          val: { code: v2.StopCode.Error, message: "TypeError: room.members is undefined" },
        },
      },
    }),
    events("EventActorStateUpdate.ActorStateStopped.ok", {
      tag: "EventActorStateUpdate",
      val: {
        actorId: OTHER_ACTOR_ID,
        generation: 7,
        state: { tag: "ActorStateStopped", val: { code: v2.StopCode.Ok, message: null } },
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
