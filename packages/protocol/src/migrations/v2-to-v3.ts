// v2 ↔ v3: CommandStartActor gains `hibernatingRequestIds`, ToServerWebSocketOpen drops
// `lastMsgIndex`, and ToServerWebSocketClose's `retry` is renamed `hibernate` (same bytes).
// WebSocket message indexes are identical in both and pass through untouched.
import type { HandWrittenDowngrades, HandWrittenUpgrades } from "../gen/migrations/v2-v3.js"
import { NO_MESSAGE_INDEX } from "./v1-to-v2.js"

export const upgrades = {
  /** A v2 gateway never restores hibernating requests on start. */
  CommandStartActor: (value) => ({
    actorId: value.actorId,
    generation: value.generation,
    config: value.config,
    hibernatingRequestIds: [],
  }),

  /** Drops `lastMsgIndex`: v3 gateways replay from their own record of acknowledged indexes. */
  ToServerWebSocketOpen: (value) => ({ canHibernate: value.canHibernate }),

  ToServerWebSocketClose: (value) => ({
    code: value.code,
    reason: value.reason,
    hibernate: value.retry,
  }),
} satisfies HandWrittenUpgrades

export const downgrades = {
  /** Sockets to restore cannot be named to a v2 runner: a non-empty list is a loss. */
  CommandStartActor: (value, ctx) => {
    if (value.hibernatingRequestIds.length > 0) {
      ctx.loss({
        type: "CommandStartActor",
        field: "hibernatingRequestIds",
        reason: `v2 cannot restore ${value.hibernatingRequestIds.length} hibernating request(s) on start`,
      })
    }
    return { actorId: value.actorId, generation: value.generation, config: value.config }
  },

  /** Fills `lastMsgIndex` with "nothing received": v3 runners do not track it. */
  ToServerWebSocketOpen: (value) => ({
    canHibernate: value.canHibernate,
    lastMsgIndex: NO_MESSAGE_INDEX,
  }),

  ToServerWebSocketClose: (value) => ({
    code: value.code,
    reason: value.reason,
    retry: value.hibernate,
  }),
} satisfies HandWrittenDowngrades
