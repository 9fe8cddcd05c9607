// A real gateway mock with two runner SDK processes-in-process, and the scripted traffic the
// inspector tests look at: a chat socket that hibernates across an actor sleep, and HTTP requests.
import { type Gateway, startGateway, type TapEvent } from "@tunnelwire/gateway-mock"
import { createMemoryHibernationStore, Runner, type TunnelWebSocket } from "@tunnelwire/runner"
import { WebSocket } from "ws"

export const CHAT_RUNNER = "chat-runner"
export const LEGACY_RUNNER = "legacy-runner"
/** The runner speaking the newest protocol version, beside the v3 and v2 ones. */
export const CURRENT_RUNNER = "current-runner"
/** The actor closes the chat with this when the client says "bye". */
export const GOODBYE = { code: 4000, reason: "see you" }
/** Every HTTP response of the actors sets this cookie: a secret the tap must not show. */
export const ACTOR_COOKIE = "actor-session=S3cretFromTheActorCookie"

export interface ChatWorld {
  readonly gateway: Gateway
  /** Every tap event so far, in order. */
  readonly events: TapEvent[]
  /** Resolves once a tap event satisfies `match` (looking at past events too). */
  tapped(match: (event: TapEvent) => boolean): Promise<TapEvent>
  stop(): Promise<void>
}

/**
 * A gateway keeping its tap history and three runners hosting echo actors: v3, v2 and v7 (the
 * second protocol family), side by side.
 */
export async function startChatWorld(): Promise<ChatWorld> {
  // The page tests compare snapshots of the timeline: the v7 runner's pings (every 3 s by
  // default) would add markers between two of them.
  const gateway = await startGateway({ port: 0, tapHistory: 10_000, pingIntervalMs: 600_000 })
  const events: TapEvent[] = []
  const waiters = new Set<() => void>()
  gateway.tap.subscribe((event) => {
    events.push(event)
    for (const check of waiters) check()
  })
  const runners = [
    chatRunner(gateway.url, CHAT_RUNNER, 3),
    chatRunner(gateway.url, LEGACY_RUNNER, 2),
    chatRunner(gateway.url, CURRENT_RUNNER, 7),
  ]
  await Promise.all(runners.map((runner) => runner.start()))
  return {
    gateway,
    events,
    tapped: (match) =>
      new Promise((resolve) => {
        const check = () => {
          const found = events.find(match)
          if (found === undefined) return
          waiters.delete(check)
          resolve(found)
        }
        waiters.add(check)
        check()
      }),
    stop: async () => {
      // The gateway stops a draining runner's actors only when asked to: destroy them first so
      // the runners' graceful shutdown has nothing to wait for.
      for (const actor of gateway.listActors()) gateway.destroyActor(actor.actorId)
      await Promise.all(runners.map((runner) => runner.shutdown()))
      await gateway.stop()
    },
  }
}

function chatRunner(endpoint: string, runnerName: string, protocolVersion: number): Runner {
  return new Runner({
    endpoint,
    namespace: "default",
    runnerName,
    protocolVersion,
    shutdownTimeoutMs: 2_000,
    handlers: {
      onActorStart: () => {},
      onActorStop: () => {},
      fetch: async (_actorId, request) =>
        new Response(`hello from ${new URL(request.url).pathname}`, {
          headers: { "set-cookie": ACTOR_COOKIE },
        }),
      websocket: (_actorId, ws: TunnelWebSocket) => {
        ws.addEventListener("message", (message) => {
          const text = String(message.data)
          if (text === "bye") ws.close(GOODBYE.code, GOODBYE.reason)
          else ws.send(`echo: ${text}`)
        })
      },
      canHibernate: () => true,
      ...createMemoryHibernationStore(),
    },
  })
}

export interface ChatResult {
  readonly actorId: string
  readonly requestId: string
  readonly received: readonly string[]
  readonly closed: { readonly code: number; readonly reason: string }
}

/**
 * Opens a chat socket, exchanges two messages, puts the actor to sleep (the socket hibernates),
 * wakes it with a client message, then says "bye" and the actor closes with GOODBYE.
 */
export async function playHibernation(world: ChatWorld, key: string): Promise<ChatResult> {
  const actor = world.gateway.createActor({ name: "chat", key, runnerName: CHAT_RUNNER })
  const client = new ChatClient(
    `${world.gateway.url.replace(/^http/, "ws")}/gateway/${actor.actorId}/chat`,
  )
  await client.opened
  const opened = await world.tapped(
    (event) => event.type === "socket" && event.event === "open" && event.actorId === actor.actorId,
  )
  const requestId = opened.type === "socket" ? opened.requestId : ""
  client.send("hello")
  client.send("anyone here?")
  await client.received(2)
  world.gateway.sleepActor(actor.actorId)
  await world.tapped(
    (event) =>
      event.type === "actor" && event.event === "stopped" && event.actorId === actor.actorId,
  )
  client.send("are you awake?")
  await client.received(3)
  client.send("bye")
  const closed = await client.closed
  return { actorId: actor.actorId, requestId, received: client.messages, closed }
}

/** A client of the gateway's public WebSocket route, recording what it receives. */
class ChatClient {
  readonly messages: string[] = []
  readonly opened: Promise<void>
  readonly closed: Promise<{ code: number; reason: string }>
  readonly #ws: WebSocket
  #onMessage = () => {}

  constructor(url: string) {
    this.#ws = new WebSocket(url)
    this.opened = new Promise((resolve, reject) => {
      this.#ws.once("open", () => resolve())
      this.#ws.once("error", reject)
    })
    this.closed = new Promise((resolve) => {
      this.#ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() }))
    })
    this.#ws.on("message", (data) => {
      this.messages.push(data.toString())
      this.#onMessage()
    })
  }

  send(text: string): void {
    this.#ws.send(text)
  }

  received(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.#onMessage = () => {
        if (this.messages.length >= count) resolve()
      }
      this.#onMessage()
    })
  }
}
