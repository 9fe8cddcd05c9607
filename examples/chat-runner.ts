// An example runner hosting chat rooms. Each actor is one room; its WebSockets are hibernatable,
// so a room can sleep while people stay connected. The room's message counter and the sockets'
// hibernation metadata live in the actor's KV at the gateway, so both survive a sleep (and a
// restart of this process).
//
//   npx tsx examples/chat-runner.ts http://127.0.0.1:6420
import type { ActorKv, HibernatingSocket, TunnelWebSocket } from "@tunnelwire/runner"
import { Runner } from "@tunnelwire/runner"

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const COUNTER_KEY = encoder.encode("counter")
const SOCKET_PREFIX = "socket/"

export interface ChatRunnerOptions {
  readonly endpoint: string
  readonly token?: string
  /** Default 7, the newest; the demo runs a second runner on 3. */
  readonly protocolVersion?: number
  /** Default "chat". Actors name the runner they want. */
  readonly runnerName?: string
  /** Called with one line per thing the rooms do, for narration. */
  readonly log?: (line: string) => void
}

export function chatRunner(options: ChatRunnerOptions): Runner {
  const log = options.log ?? (() => {})
  const rooms = new Map<string, Set<TunnelWebSocket>>()
  const turns = new Map<string, Promise<void>>()
  const kv = (actorId: string): ActorKv => runner.kv(actorId)

  const runner: Runner = new Runner({
    endpoint: options.endpoint,
    token: options.token,
    namespace: "default",
    runnerName: options.runnerName ?? "chat",
    protocolVersion: options.protocolVersion,
    handlers: {
      onActorStart: (actorId, generation) => {
        rooms.set(actorId, new Set())
        log(`room ${actorId.slice(0, 8)} started (generation ${generation})`)
      },
      onActorStop: (actorId) => {
        rooms.delete(actorId)
        log(`room ${actorId.slice(0, 8)} stopped`)
      },
      fetch: async (actorId) => {
        const count = await readCounter(kv(actorId))
        return Response.json({ room: actorId, messages: count })
      },
      websocket: (actorId, ws, _request, info) => {
        rooms.get(actorId)?.add(ws)
        if (info.restored)
          log(`room ${actorId.slice(0, 8)} got a hibernated socket back, no reconnect`)
        ws.addEventListener("message", (event) => {
          const text = typeof event.data === "string" ? event.data : decoder.decode(event.data)
          // One message at a time per room, so the counter never reads a stale value.
          turns.set(
            actorId,
            (turns.get(actorId) ?? Promise.resolve()).then(async () => {
              const count = (await readCounter(kv(actorId))) + 1
              await kv(actorId).put([[COUNTER_KEY, encoder.encode(String(count))]])
              for (const peer of rooms.get(actorId) ?? []) peer.send(`#${count} ${text}`)
            }),
          )
        })
        ws.addEventListener("close", () => rooms.get(actorId)?.delete(ws))
      },
      canHibernate: () => true,
      loadHibernating: async (actorId) => {
        const entries = await kv(actorId).listPrefix(encoder.encode(SOCKET_PREFIX))
        return entries.map((e) => JSON.parse(decoder.decode(e.value)) as HibernatingSocket)
      },
      saveHibernating: (actorId, socket) =>
        kv(actorId).put([
          [
            encoder.encode(SOCKET_PREFIX + socket.requestId),
            encoder.encode(JSON.stringify(socket)),
          ],
        ]),
      deleteHibernating: (actorId, requestId) =>
        kv(actorId).delete([encoder.encode(SOCKET_PREFIX + requestId)]),
    },
  })
  return runner
}

async function readCounter(kv: ActorKv): Promise<number> {
  const [value] = await kv.get([COUNTER_KEY])
  return value === null || value === undefined ? 0 : Number(decoder.decode(value))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runner = chatRunner({
    endpoint: process.argv[2] ?? "http://127.0.0.1:6420",
    log: console.log,
  })
  await runner.start()
  console.log("chat runner connected; Ctrl-C to stop")
  process.once("SIGINT", () => void runner.shutdown())
}
