/** The longest delay `setTimeout` honours; a longer one overflows and fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

/**
 * Calls `callback` at `dueMs` (epoch milliseconds), however far ahead: a chain of timeouts, each
 * at most `MAX_TIMEOUT_MS`, re-measured against the clock at every link. Returns the canceller.
 */
export function atTime(dueMs: number, callback: () => void): () => void {
  let timer: NodeJS.Timeout | undefined
  const schedule = () => {
    const remaining = dueMs - Date.now()
    if (remaining <= 0) {
      timer = undefined
      callback()
      return
    }
    timer = setTimeout(schedule, Math.min(remaining, MAX_TIMEOUT_MS))
  }
  timer = setTimeout(schedule, Math.min(Math.max(0, dueMs - Date.now()), MAX_TIMEOUT_MS))
  return () => clearTimeout(timer)
}
