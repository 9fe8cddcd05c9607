// v3 ↔ v4: the step from Rivet's first protocol family (v1–v3) to the second (v4+). Tunnel ids
// shrink to a 4-byte gateway id, a 4-byte request id and a u16 message index (laid out inside
// v3's 16-byte ids, see v3-v4-ids.ts); the WebSocket message index moves into the message id;
// events and commands are numbered per actor (`ActorCheckpoint`) instead of per runner;
// `CommandStartActor` names hibernating requests by their two ids; ToGateway becomes a union;
// `KvMetadata.createTs` is renamed `updateTs`. TunnelAck, ToClientClose and the runner's
// ToServerPing have no v4 counterpart (the generated union converters refuse them on the way
// up), nor have ToClientPing, ToServerPong and ToGatewayPong in v3 (refused on the way down).
//
// A runner-wide index (`lastCommandIdx`, `lastEventIdx`) cannot say which actors it covers, so it
// goes up as "nothing acknowledged" (an empty checkpoint list): the peer resends, and both
// families tolerate duplicates. Going down, only an empty checkpoint list has a v3 form.
import type {
  CopyOutCandidate,
  HandWrittenDowngrades,
  HandWrittenUpgrades,
} from "../gen/migrations/v3-v4.js"
import { MK1_PROTOCOL_VERSION } from "../semantics/runner-family.js"
import { messageIdOfV3Id, messageIndexOfV3Id, partsOfV3Id, v3IdOf } from "./v3-v4-ids.js"

/** v3 `lastCommandIdx`/`lastEventIdx` meaning "none": everything is still to be (re)sent. */
export const NO_V3_INDEX = -1n

/**
 * The v3 ids the upgrades below only copy parts out of (v3-v4-ids.ts), never keep: the versioned
 * decode reads them as views of its input rather than as `ArrayBuffer`s of their own, saving two
 * allocations per tunnel message. `HandWrittenUpgrades` types them, and every type holding one,
 * as such views (`ArrayBuffer | Uint8Array`), so passing one on into a v4 value does not compile.
 */
export const upgradesCopyOutOf = ["RequestId", "MessageId"] as const satisfies CopyOutCandidate[]

export const upgrades = {
  KvMetadata: (value) => ({ version: value.version, updateTs: value.createTs }),

  /** The event's own actor names the checkpoint; the index is carried as it is. */
  EventWrapper: (value, ctx, convert) => ({
    checkpoint: { actorId: value.inner.val.actorId, index: value.index },
    inner: convert.Event(value.inner, ctx),
  }),

  /** The actor id moves to the wrapper's checkpoint (see CommandWrapper). */
  CommandStartActor: (value) => ({
    generation: value.generation,
    config: value.config,
    hibernatingRequests: value.hibernatingRequestIds.map(partsOfV3Id),
  }),

  CommandStopActor: (value) => ({ generation: value.generation }),

  CommandWrapper: (value, ctx, convert) => ({
    checkpoint: { actorId: value.inner.val.actorId, index: value.index },
    inner: convert.Command(value.inner, ctx),
  }),

  /** A request id alone: bytes 4..8 (the tunnel messages take the gateway id from bytes 0..4). */
  RequestId: (value) => partsOfV3Id(value).requestId,

  MessageId: (value) => messageIdOfV3Id(value, messageIndexOfV3Id(value)),

  /** The index moves to the enclosing message id (see ToClientTunnelMessage). */
  ToClientWebSocketMessage: (value) => ({ data: value.data, binary: value.binary }),

  ToServerWebSocketMessageAck: (value) => ({ index: value.index }),

  ToServerTunnelMessage: (value, ctx, convert) => ({
    messageId: messageIdOfV3Id(value.requestId, messageIndexOfV3Id(value.messageId)),
    messageKind: convert.ToServerTunnelMessageKind(value.messageKind, ctx),
  }),

  /**
   * Drops `gatewayReplyTo`: v4 routes replies by the gateway id. A WebSocket message's index
   * becomes the message id's index; other kinds keep the index held in their v3 message id.
   */
  ToClientTunnelMessage: (value, ctx, convert) => {
    const kind = value.messageKind
    return {
      messageId: messageIdOfV3Id(
        value.requestId,
        kind.tag === "ToClientWebSocketMessage"
          ? kind.val.index
          : messageIndexOfV3Id(value.messageId),
      ),
      messageKind: convert.ToClientTunnelMessageKind(kind, ctx),
    }
  },

  /** Drops `lastCommandIdx`: v4 runners acknowledge commands per actor instead. */
  ToServerInit: (value) => ({
    name: value.name,
    version: value.version,
    totalSlots: value.totalSlots,
    prepopulateActorNames: value.prepopulateActorNames,
    metadata: value.metadata,
  }),

  ToServerAckCommands: () => ({ lastCommandCheckpoints: [] }),

  /** Drops `lastEventIdx`: a v4 gateway acknowledges events per actor instead. */
  ToClientInit: (value) => ({ runnerId: value.runnerId, metadata: value.metadata }),

  ToClientAckEvents: () => ({ lastEventCheckpoints: [] }),

  ToGateway: (value, ctx, convert) => ({
    tag: "ToServerTunnelMessage",
    val: convert.ToServerTunnelMessage(value.message, ctx),
  }),

  ToServerlessServerInit: (value) => ({
    runnerId: value.runnerId,
    runnerProtocolVersion: MK1_PROTOCOL_VERSION,
  }),
} satisfies HandWrittenUpgrades

// Every downgrade either survives the way back up exactly or reports a loss.
export const downgrades = {
  KvMetadata: (value) => ({ version: value.version, createTs: value.updateTs }),

  /** v3 events carry their actor themselves; a checkpoint naming another actor cannot travel. */
  EventWrapper: (value, ctx, convert) => {
    if (value.checkpoint.actorId !== value.inner.val.actorId) {
      ctx.loss({
        type: "EventWrapper",
        field: "checkpoint",
        reason: "v3 numbers an event under the event's own actor, not another one",
      })
    }
    return { index: value.checkpoint.index, inner: convert.Event(value.inner, ctx) }
  },

  /**
   * The actor id lives in the wrapper's checkpoint in v4: CommandWrapper fills it in. (No v4
   * message carries a bare command down to v3: ActorCommandKeyData is new in v4.)
   */
  CommandStartActor: (value) => ({
    actorId: "",
    generation: value.generation,
    config: value.config,
    hibernatingRequestIds: value.hibernatingRequests.map((request) => v3IdOf(request)),
  }),

  CommandStopActor: (value) => ({ actorId: "", generation: value.generation }),

  CommandWrapper: (value, ctx, convert) => {
    const { actorId } = value.checkpoint
    const inner = convert.Command(value.inner, ctx)
    return {
      index: value.checkpoint.index,
      inner:
        inner.tag === "CommandStartActor"
          ? { tag: inner.tag, val: { ...inner.val, actorId } }
          : { tag: inner.tag, val: { ...inner.val, actorId } },
    }
  },

  RequestId: (value) => v3IdOf({ gatewayId: new ArrayBuffer(4), requestId: value }),

  MessageId: (value) => v3IdOf(value, value.messageIndex),

  /** The index comes from the enclosing message id (see ToClientTunnelMessage). */
  ToClientWebSocketMessage: (value) => ({ index: 0, data: value.data, binary: value.binary }),

  ToServerWebSocketMessageAck: (value) => ({ index: value.index }),

  ToServerTunnelMessage: (value, ctx, convert) => ({
    requestId: v3IdOf(value.messageId),
    messageId: v3IdOf(value.messageId, value.messageId.messageIndex),
    messageKind: convert.ToServerTunnelMessageKind(value.messageKind, ctx),
  }),

  /** `gatewayReplyTo` is stripped before a runner sees a message: `null`. */
  ToClientTunnelMessage: (value, ctx, convert) => {
    const kind = convert.ToClientTunnelMessageKind(value.messageKind, ctx)
    return {
      requestId: v3IdOf(value.messageId),
      messageId: v3IdOf(value.messageId, value.messageId.messageIndex),
      messageKind:
        kind.tag === "ToClientWebSocketMessage"
          ? { tag: kind.tag, val: { ...kind.val, index: value.messageId.messageIndex } }
          : kind,
      gatewayReplyTo: null,
    }
  },

  /** `lastCommandIdx: null`: a v4 runner's command progress is per actor, not one index. */
  ToServerInit: (value) => ({
    name: value.name,
    version: value.version,
    totalSlots: value.totalSlots,
    lastCommandIdx: null,
    prepopulateActorNames: value.prepopulateActorNames,
    metadata: value.metadata,
  }),

  ToServerAckCommands: (value, ctx) => {
    if (value.lastCommandCheckpoints.length > 0) {
      ctx.loss({
        type: "ToServerAckCommands",
        field: "lastCommandCheckpoints",
        reason: "v3 acknowledges commands by one runner-wide index, not per actor generation",
      })
    }
    return { lastCommandIdx: NO_V3_INDEX }
  },

  /** `lastEventIdx: -1`: the runner resends every event it still holds. */
  ToClientInit: (value) => ({
    runnerId: value.runnerId,
    lastEventIdx: NO_V3_INDEX,
    metadata: value.metadata,
  }),

  ToClientAckEvents: (value, ctx) => {
    if (value.lastEventCheckpoints.length > 0) {
      ctx.loss({
        type: "ToClientAckEvents",
        field: "lastEventCheckpoints",
        reason: "v3 acknowledges events by one runner-wide index, not per actor generation",
      })
    }
    return { lastEventIdx: NO_V3_INDEX }
  },

  ToGateway: (value, ctx, convert) => {
    if (value.tag === "ToGatewayPong") {
      return ctx.unrepresentable({ type: "ToGateway", member: "ToGatewayPong" })
    }
    return { message: convert.ToServerTunnelMessage(value.val, ctx) }
  },

  ToServerlessServerInit: (value, ctx) => {
    if (value.runnerProtocolVersion !== MK1_PROTOCOL_VERSION) {
      ctx.loss({
        type: "ToServerlessServerInit",
        field: "runnerProtocolVersion",
        reason: `v3 cannot say that the runner speaks protocol v${value.runnerProtocolVersion}`,
      })
    }
    return { runnerId: value.runnerId }
  },
} satisfies HandWrittenDowngrades
