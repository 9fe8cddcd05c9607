import { idKey } from "@tunnelwire/protocol/pinned/v3"

/**
 * What an actor keeps about one hibernatable WebSocket so that it can get the socket back after a
 * sleep, a stop or a runner restart. The runner hands it to `saveHibernating` when the socket
 * opens and again after messages were delivered (before acknowledging them to the gateway; at
 * most `maxUnsavedMessages` are delivered ahead of it), and `loadHibernating` must return it when
 * the actor starts again. Plain JSON.
 */
export interface HibernatingSocket {
  /** The gateway's 16-byte request id, as lowercase hex. */
  readonly requestId: string
  /** Path and headers of the upgrade request, to rebuild the `Request` on restore. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /**
   * Index of the last message delivered to the actor, `null` before the first one. The gateway
   * replays from the next index; an older value would show as a skip, a newer one as duplicates.
   */
  readonly lastMessageIndex: number | null
}

/** The persistence hooks of hibernatable sockets, as they appear in the runner's handlers. */
export interface HibernationHooks {
  loadHibernating(actorId: string): Promise<readonly HibernatingSocket[]>
  saveHibernating(actorId: string, socket: HibernatingSocket): Promise<void>
  deleteHibernating(actorId: string, requestId: string): Promise<void>
}

export interface RestorePlan {
  /** Hibernating at the gateway and known to the actor: reopen. */
  readonly restore: ReadonlyArray<{
    readonly requestId: ArrayBuffer
    readonly socket: HibernatingSocket
  }>
  /** Hibernating at the gateway, unknown to the actor: close with `RunnerClose.metaNotFoundDuringRestore`. */
  readonly missing: readonly ArrayBuffer[]
  /** Known to the actor, no longer at the gateway: close locally with `RunnerClose.staleMetadata`. */
  readonly stale: readonly HibernatingSocket[]
}

/** Matches the gateway's hibernating request ids with the metadata the actor kept. */
export function planRestore(
  gatewayRequestIds: readonly ArrayBuffer[],
  kept: readonly HibernatingSocket[],
): RestorePlan {
  const keptById = new Map(kept.map((socket) => [socket.requestId.toLowerCase(), socket]))
  const restore: Array<{ requestId: ArrayBuffer; socket: HibernatingSocket }> = []
  const missing: ArrayBuffer[] = []
  for (const requestId of gatewayRequestIds) {
    const socket = keptById.get(idKey(requestId))
    if (socket === undefined) missing.push(requestId)
    else {
      restore.push({ requestId, socket })
      keptById.delete(idKey(requestId))
    }
  }
  return { restore, missing, stale: [...keptById.values()] }
}

/**
 * Hibernation hooks backed by memory: sockets survive an actor's sleep inside one runner process,
 * not a restart of the process. Spread into `handlers`; persist to the actor's storage instead
 * to survive restarts.
 */
export function createMemoryHibernationStore(): HibernationHooks {
  const byActor = new Map<string, Map<string, HibernatingSocket>>()
  return {
    loadHibernating: async (actorId) => [...(byActor.get(actorId)?.values() ?? [])],
    saveHibernating: async (actorId, socket) => {
      const sockets = byActor.get(actorId) ?? new Map<string, HibernatingSocket>()
      sockets.set(socket.requestId, socket)
      byActor.set(actorId, sockets)
    },
    deleteHibernating: async (actorId, requestId) => {
      const sockets = byActor.get(actorId)
      sockets?.delete(requestId)
      if (sockets?.size === 0) byActor.delete(actorId)
    },
  }
}
