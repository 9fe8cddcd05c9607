// v1 ↔ v2: WebSocket messages gain an index, the runner's open answer gains `canHibernate` and
// `lastMsgIndex`, and the runner's close gains `retry`. (ToServerWebSocketMessageAck is new in v2;
// the generated union converter refuses it on the way down.)
import type { HandWrittenDowngrades, HandWrittenUpgrades } from "../gen/migrations/v1-v2.js"

/** v2 `lastMsgIndex` meaning "no message received yet". */
export const NO_MESSAGE_INDEX = -1n

export const upgrades = {
  /**
   * Fills `index: 0`. v1 has no message index, so it carries no order: consumers check
   * `capabilities(1).messageIndex` (false) before reading it.
   */
  ToClientWebSocketMessage: (value) => ({ index: 0, data: value.data, binary: value.binary }),

  /** A v1 runner cannot hibernate and has received nothing it could resume from. */
  ToServerWebSocketOpen: () => ({ canHibernate: false, lastMsgIndex: NO_MESSAGE_INDEX }),

  /** A v1 close never asks the gateway to keep the socket. */
  ToServerWebSocketClose: (value) => ({ code: value.code, reason: value.reason, retry: false }),
} satisfies HandWrittenUpgrades

// Every downgrade either survives the way back up exactly or reports a loss: a field v1 lacks is
// dropped silently only while it holds the value the upgrade would fill in again.
export const downgrades = {
  /** Drops `index`. A gateway talking to v1 sends index 0 (v1 has no order to keep). */
  ToClientWebSocketMessage: (value, ctx) => {
    if (value.index !== 0) {
      ctx.loss({
        type: "ToClientWebSocketMessage",
        field: "index",
        reason: `v1 cannot carry message index ${value.index}`,
      })
    }
    return { data: value.data, binary: value.binary }
  },

  /**
   * Drops `canHibernate` and `lastMsgIndex`. `canHibernate: true` would let the gateway keep a
   * socket a v1 runner cannot restore, and a `lastMsgIndex` means a resume v1 cannot do.
   */
  ToServerWebSocketOpen: (value, ctx) => {
    if (value.canHibernate) {
      ctx.loss({
        type: "ToServerWebSocketOpen",
        field: "canHibernate",
        reason: "v1 cannot hibernate a WebSocket",
      })
    }
    if (value.lastMsgIndex !== NO_MESSAGE_INDEX) {
      ctx.loss({
        type: "ToServerWebSocketOpen",
        field: "lastMsgIndex",
        reason: "v1 cannot resume a WebSocket from a message index",
      })
    }
    return null
  },

  /** Drops `retry`; `retry: true` asks the gateway to hibernate, which v1 cannot say. */
  ToServerWebSocketClose: (value, ctx) => {
    if (value.retry) {
      ctx.loss({
        type: "ToServerWebSocketClose",
        field: "retry",
        reason: "v1 cannot ask the gateway to keep a closing socket",
      })
    }
    return { code: value.code, reason: value.reason }
  },
} satisfies HandWrittenDowngrades
