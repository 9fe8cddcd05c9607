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

export const downgrades = {
  /** Drops `index`: v1 runners neither validate nor acknowledge indexes. */
  ToClientWebSocketMessage: (value) => ({ data: value.data, binary: value.binary }),

  /**
   * Drops `canHibernate` and `lastMsgIndex`. Dropping `canHibernate: true` changes meaning (the
   * gateway would treat the socket as hibernatable), so it is a loss; `lastMsgIndex` only means
   * something for a hibernatable socket.
   */
  ToServerWebSocketOpen: (value, ctx) => {
    if (value.canHibernate) {
      ctx.loss({
        type: "ToServerWebSocketOpen",
        field: "canHibernate",
        reason: "v1 cannot hibernate a WebSocket",
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
