// v4 ↔ v5: an actor's generation moves into `ActorCheckpoint`, and events and commands stop
// carrying their actor and generation (the wrapper's checkpoint names them). `CommandStopActor`
// becomes void. EventWrapper and CommandWrapper are written here although the generator could
// rebuild them: the actor and generation move between their two children, which only the parent
// sees.
//
// A bare event or command (ActorCommandKeyData holds one) has no checkpoint: going down it gets the
// placeholders `actorId: ""` and `generation: 0` (the wrappers fill the real ones), going up its
// generation cannot travel. A v4 ack checkpoint has no generation: it goes up as generation 0.
import type { HandWrittenDowngrades, HandWrittenUpgrades } from "../gen/migrations/v4-v5.js"

/** The generation a v4 checkpoint goes up with, and the placeholder of a bare v5 command. */
export const UNKNOWN_GENERATION = 0

/** The actor of a bare v5 event or command going down; its wrapper fills in the real one. */
const UNKNOWN_ACTOR = ""

export const upgrades = {
  ActorCheckpoint: (value) => ({
    actorId: value.actorId,
    generation: UNKNOWN_GENERATION,
    index: value.index,
  }),

  EventActorIntent: (value) => ({ intent: value.intent }),

  EventActorStateUpdate: (value) => ({ state: value.state }),

  EventActorSetAlarm: (value) => ({ alarmTs: value.alarmTs }),

  CommandStartActor: (value) => ({
    config: value.config,
    hibernatingRequests: value.hibernatingRequests,
  }),

  CommandStopActor: () => null,

  /** The event's generation joins the checkpoint (its actor is the checkpoint's already). */
  EventWrapper: (value, ctx, convert) => ({
    checkpoint: {
      actorId: value.checkpoint.actorId,
      generation: value.inner.val.generation,
      index: value.checkpoint.index,
    },
    inner: convert.Event(value.inner, ctx),
  }),

  CommandWrapper: (value, ctx, convert) => ({
    checkpoint: {
      actorId: value.checkpoint.actorId,
      generation: value.inner.val.generation,
      index: value.checkpoint.index,
    },
    inner: convert.Command(value.inner, ctx),
  }),
} satisfies HandWrittenUpgrades

// Every downgrade either survives the way back up exactly or reports a loss.
export const downgrades = {
  /** v4 acks name an actor, not a generation: only the one an upgrade fills in goes silently. */
  ActorCheckpoint: (value, ctx) => {
    if (value.generation !== UNKNOWN_GENERATION) {
      ctx.loss({
        type: "ActorCheckpoint",
        field: "generation",
        reason: `v4 cannot name generation ${value.generation} in an acknowledgement`,
      })
    }
    return { actorId: value.actorId, index: value.index }
  },

  EventActorIntent: (value) => ({
    actorId: UNKNOWN_ACTOR,
    generation: UNKNOWN_GENERATION,
    intent: value.intent,
  }),

  EventActorStateUpdate: (value) => ({
    actorId: UNKNOWN_ACTOR,
    generation: UNKNOWN_GENERATION,
    state: value.state,
  }),

  EventActorSetAlarm: (value) => ({
    actorId: UNKNOWN_ACTOR,
    generation: UNKNOWN_GENERATION,
    alarmTs: value.alarmTs,
  }),

  CommandStartActor: (value) => ({
    generation: UNKNOWN_GENERATION,
    config: value.config,
    hibernatingRequests: value.hibernatingRequests,
  }),

  CommandStopActor: () => ({ generation: UNKNOWN_GENERATION }),

  /** The checkpoint's actor and generation go back into the event. */
  EventWrapper: (value, ctx, convert) => {
    const { actorId, generation, index } = value.checkpoint
    const inner = convert.Event(value.inner, ctx)
    return {
      checkpoint: { actorId, index },
      inner:
        inner.tag === "EventActorIntent"
          ? { tag: inner.tag, val: { ...inner.val, actorId, generation } }
          : inner.tag === "EventActorStateUpdate"
            ? { tag: inner.tag, val: { ...inner.val, actorId, generation } }
            : { tag: inner.tag, val: { ...inner.val, actorId, generation } },
    }
  },

  CommandWrapper: (value, ctx, convert) => {
    const { actorId, generation, index } = value.checkpoint
    const inner = convert.Command(value.inner, ctx)
    return {
      checkpoint: { actorId, index },
      inner:
        inner.tag === "CommandStartActor"
          ? { tag: inner.tag, val: { ...inner.val, generation } }
          : { tag: inner.tag, val: { generation } },
    }
  },
} satisfies HandWrittenDowngrades
