// Hibernation metadata in files, one per actor, replaced atomically (write, then rename): what a
// runner saved survives a SIGKILL of its process, as actor storage would.
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { HibernatingSocket, HibernationHooks } from "@tunnelwire/runner"

type Sockets = Record<string, HibernatingSocket>

export function fileHibernation(dir: string): HibernationHooks {
  const file = (actorId: string) => join(dir, `hibernating-${actorId}.json`)
  const read = (actorId: string): Sockets => {
    try {
      return JSON.parse(readFileSync(file(actorId), "utf8")) as Sockets
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {}
      throw error
    }
  }
  const write = (actorId: string, sockets: Sockets) => {
    const temporary = `${file(actorId)}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify(sockets))
    renameSync(temporary, file(actorId))
  }
  return {
    loadHibernating: async (actorId) => Object.values(read(actorId)),
    saveHibernating: async (actorId, socket) => {
      write(actorId, { ...read(actorId), [socket.requestId]: socket })
    },
    deleteHibernating: async (actorId, requestId) => {
      const { [requestId]: _gone, ...rest } = read(actorId)
      write(actorId, rest)
    },
  }
}
