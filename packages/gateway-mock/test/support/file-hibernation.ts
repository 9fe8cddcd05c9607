// Hibernation metadata in files, one per actor, replaced atomically (write, then rename): what a
// runner saved survives a SIGKILL of its process, as actor storage would. Read once per actor
// per process; every save writes the file.
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { HibernatingSocket, HibernationHooks } from "@tunnelwire/runner"

type Sockets = Map<string, HibernatingSocket>

export function fileHibernation(dir: string): HibernationHooks {
  const cache = new Map<string, Sockets>()
  const file = (actorId: string) => join(dir, `hibernating-${actorId}.json`)
  const sockets = (actorId: string): Sockets => {
    let kept = cache.get(actorId)
    if (kept === undefined) {
      kept = new Map(read(file(actorId)).map((socket) => [socket.requestId, socket]))
      cache.set(actorId, kept)
    }
    return kept
  }
  const write = (actorId: string) => {
    const temporary = `${file(actorId)}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify([...sockets(actorId).values()]))
    renameSync(temporary, file(actorId))
  }
  return {
    loadHibernating: async (actorId) => [...sockets(actorId).values()],
    saveHibernating: async (actorId, socket) => {
      sockets(actorId).set(socket.requestId, socket)
      write(actorId)
    },
    deleteHibernating: async (actorId, requestId) => {
      sockets(actorId).delete(requestId)
      write(actorId)
    },
  }
}

function read(path: string): HibernatingSocket[] {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as HibernatingSocket[]
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return []
    throw error
  }
}
