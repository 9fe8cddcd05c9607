// `npm start`: a gateway mock, two example chat runners side by side (one on protocol v7, one on
// v3) and a scripted client, in one process. The client keeps one WebSocket open while a chat room
// on the v7 runner (an actor) goes to sleep; a message sent to the sleeping room wakes it, and
// nothing is lost on the way. A second room lives on the v3 runner.
import { type Gateway, startGateway, type TapEvent } from "@tunnelwire/gateway-mock"
import { startInspectorUi } from "@tunnelwire/inspector"
import { WebSocket } from "ws"
import { chatRunner } from "./chat-runner.ts"

const say = (who: string, line: string) => console.log(`${who.padEnd(8)} ${line}`)
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// `npm start -- --keep-open` keeps the gateway and the inspector page up after the story ends.
const keepOpen = process.argv.includes("--keep-open")
const gateway = await startGateway({ port: 0, tapHistory: 10_000 })
const stopWatching = watchGateway(gateway)
say("gateway", `listening on ${gateway.url} (tap: ${gateway.url.replace("http", "ws")}/tap)`)
const inspector = await startInspectorUi({ gatewayUrl: gateway.url, port: 0 })
say("inspect", `every frame on a timeline: ${inspector.url}${keepOpen ? "" : " (--keep-open)"}`)

const runner = chatRunner({ endpoint: gateway.url, log: (line) => say("runner", line) })
const olderRunner = chatRunner({
  endpoint: gateway.url,
  protocolVersion: 3,
  runnerName: "chat-v3",
  log: (line) => say("runner3", line),
})
await Promise.all([runner.start(), olderRunner.start()])
say("runner", `runner "chat" speaks protocol v${runner.protocolVersion}`)
say("runner3", `runner "chat-v3" speaks protocol v${olderRunner.protocolVersion}`)

const attic = gateway.createActor({ name: "chat-room", key: "attic", runnerName: "chat-v3" })
const atticAnswer = await askOnce(attic.actorId, "hello from the v3 side")
say("bob", `the attic room on the v3 runner answered "${atticAnswer}"`)

const room = gateway.createActor({ name: "chat-room", key: "lobby", runnerName: "chat" })
say("admin", `created actor chat-room[lobby] ${room.actorId.slice(0, 8)}; it is not running yet`)

const received: string[] = []
const socket = new WebSocket(`${gateway.url.replace("http", "ws")}/gateway/${room.actorId}/chat`)
socket.on("message", (data: Buffer) => {
  received.push(data.toString())
  say("alice", `got  "${data.toString()}"`)
})
let closed = false
socket.on("close", () => {
  closed = true
})
await new Promise((resolve) => socket.once("open", resolve))
say("alice", "connected to the room; the gateway starts the actor on demand")

const sent: string[] = []
const send = (text: string) => {
  sent.push(text)
  say("alice", `sent "${text}"`)
  socket.send(text)
}
const allAnswered = async () => {
  while (received.length < sent.length) await pause(10)
}

send("hello, room")
send("anyone awake?")
await allAnswered()

say("admin", "putting the room to sleep")
gateway.sleepActor(room.actorId)
while (gateway.getActor(room.actorId)?.state !== "stopped") await pause(10)
say("alice", `still connected: readyState ${socket.readyState} (OPEN), the room is asleep`)

send("knock knock, sleeping room")
send("second message while it wakes")
await allAnswered()

const counts = (await (await fetch(`${gateway.url}/gateway/${room.actorId}/`)).json()) as {
  messages: number
}
const inOrder = received.every((line, i) => line === `#${i + 1} ${sent[i]}`)
console.log()
say("result", `${sent.length} sent, ${received.length} answered, in order: ${inOrder}`)
say(
  "result",
  `the room counted ${counts.messages} messages across its sleep; socket closed: ${closed}`,
)

const succeeded =
  inOrder &&
  !closed &&
  received.length === sent.length &&
  atticAnswer === "#1 hello from the v3 side"
stopWatching()
socket.close(1000, "bye")
await new Promise((resolve) => socket.once("close", resolve))
if (keepOpen) {
  say("inspect", `still serving ${inspector.url}; Ctrl-C to stop`)
  await new Promise((resolve) => process.once("SIGINT", resolve))
}
await Promise.all([runner.shutdown(), olderRunner.shutdown()])
await inspector.close()
await gateway.stop()
if (!succeeded) process.exitCode = 1

/** Opens a socket to `actorId`, sends one line and resolves with the first answer. */
async function askOnce(actorId: string, text: string): Promise<string> {
  const ws = new WebSocket(`${gateway.url.replace("http", "ws")}/gateway/${actorId}/chat`)
  await new Promise((resolve) => ws.once("open", resolve))
  const answer = new Promise<string>((resolve) =>
    ws.once("message", (d: Buffer) => resolve(d.toString())),
  )
  say("bob", `sent "${text}"`)
  ws.send(text)
  const line = await answer
  ws.close(1000, "bye")
  await new Promise((resolve) => ws.once("close", resolve))
  return line
}

/** Narrates the gateway's side from its tap: runners, actor lifecycle, socket hibernation. */
function watchGateway(watched: Gateway): () => void {
  return watched.tap.subscribe((event: TapEvent) => {
    if (event.type === "runner" && event.event === "connected") {
      say("gateway", `runner "${event.runnerName}" connected, speaking protocol v${event.version}`)
    } else if (event.type === "actor" && ["running", "stopped"].includes(event.event)) {
      say(
        "gateway",
        `actor ${event.actorId.slice(0, 8)} ${event.event} (generation ${event.generation})`,
      )
    } else if (event.type === "socket" && event.event !== "close") {
      const detail = {
        open: "opened",
        hibernate: "hibernating: kept open for the client, messages will wait",
        wake: `woke: ${event.pending} waiting message(s) replayed to the restored socket`,
      }[event.event]
      say("gateway", `socket ${event.requestId.slice(0, 8)} ${detail}`)
    } else if (event.type === "actor" && event.event === "starting" && event.generation > 1) {
      const kept = watched.getActor(event.actorId)?.hibernatingSockets ?? 0
      say("gateway", `waking the actor: CommandStartActor names its ${kept} hibernating socket(s)`)
    }
  })
}
