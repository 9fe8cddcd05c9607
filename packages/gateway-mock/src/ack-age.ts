/**
 * Whether something sent at `sentAt` has waited longer than `timeoutMs` by `now`. Its age is
 * `now - sentAt`; an age above the timeout is overdue. (The reference compared the other way
 * round and collected fresh requests while keeping stale ones.)
 */
export function isOverdue(sentAt: number, now: number, timeoutMs: number): boolean {
  return now - sentAt > timeoutMs
}
