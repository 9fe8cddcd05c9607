// WebSocket message indexes are u16 and wrap: 65535 is followed by 0. "Newer than" is defined
// once, with serial-number arithmetic (RFC 1982): b is newer than a when it lies less than half
// the index space ahead of it.

export const INDEX_SPACE = 0x1_0000
const HALF_SPACE = 0x8000

export function nextIndex(index: number): number {
  return (index + 1) & 0xffff
}

/** How far `to` is ahead of `from`, in 0 … 65535. */
export function indexDistance(from: number, to: number): number {
  return (to - from + INDEX_SPACE) & 0xffff
}

/** Whether `candidate` comes after `reference` in wrapping u16 order. */
export function isNewerIndex(candidate: number, reference: number): boolean {
  const distance = indexDistance(reference, candidate)
  return distance !== 0 && distance < HALF_SPACE
}

/**
 * What a received index means after `lastDelivered` (`null` when nothing was delivered yet, so
 * any index starts the sequence): the next message, a duplicate already delivered (drop it), or a
 * skip ahead (a message was lost: close with `RunnerClose.messageIndexSkip`).
 */
export function classifyIndex(
  lastDelivered: number | null,
  received: number,
): "next" | "duplicate" | "skip" {
  if (lastDelivered === null) return "next"
  if (received === nextIndex(lastDelivered)) return "next"
  return isNewerIndex(received, lastDelivered) ? "skip" : "duplicate"
}
