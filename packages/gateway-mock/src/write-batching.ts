import type { Duplex } from "node:stream"

/** Sockets corked in this tick; one list for all, so an idle socket costs nothing here. */
let corked = new Set<Duplex>()

function uncorkAll(): void {
  const batch = corked
  corked = new Set()
  for (const socket of batch) socket.uncork()
}

/**
 * To call before each write: the first call in a tick corks the socket until the tick ends, so
 * every frame written to it in that tick leaves in one system call. (`ws` writes each frame on
 * its own; a runner connection sends several per client message.)
 */
export function corkForTick(socket: Duplex): void {
  if (corked.has(socket)) return
  corked.add(socket)
  socket.cork()
  if (corked.size === 1) process.nextTick(uncorkAll)
}
