import type { Duplex } from "node:stream"

/**
 * Returns a function to call before each write: the first call in a tick corks the socket and
 * schedules the uncork, so every frame written in that tick leaves in one system call. (`ws`
 * writes each frame on its own; an echoed client message alone makes the runner send two.)
 */
export function batchWritesPerTick(socket: Duplex): () => void {
  let corked = false
  const flush = () => {
    corked = false
    socket.uncork()
  }
  return () => {
    if (corked) return
    corked = true
    socket.cork()
    process.nextTick(flush)
  }
}
