import type { WebSocket } from "ws"
import type { Tap } from "./tap.js"

/** A subscriber this far behind is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024
const SLOW_CONSUMER = { code: 1008, reason: "tap.slow_consumer" }

/**
 * Streams tap events to one WebSocket subscriber as JSON text frames, one event per frame,
 * starting with the kept history when asked for it.
 */
export function serveTap(tap: Tap, ws: WebSocket, withHistory: boolean): void {
  const send = (event: unknown) => {
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(SLOW_CONSUMER.code, SLOW_CONSUMER.reason)
      return
    }
    ws.send(JSON.stringify(event))
  }
  if (withHistory) for (const event of tap.history()) send(event)
  const unsubscribe = tap.subscribe(send)
  ws.on("close", unsubscribe)
  ws.on("error", unsubscribe)
}
