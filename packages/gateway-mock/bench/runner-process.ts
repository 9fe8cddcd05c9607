// A runner under benchmark, in its own process: `runner-process.ts URL KEY echo|hibernate`.
// Its actors echo each message as it came, like the plain `ws` echo server. With `hibernate`
// its sockets can hibernate, their metadata kept in the runner's memory, and it marks the steps
// of each wake (start hook, metadata loaded, socket restored, first message) for the bench's
// timeline. The protocol version is the runner's default unless BENCH_VERSION names one. Sends
// the version it speaks over IPC once connected, then answers the bench's probes.
import { createMemoryHibernationStore, Runner } from "@tunnelwire/runner"
import { answerProbes, type MarksAnswer, nowMs } from "./probe.js"

const [endpoint, runnerKey, mode] = process.argv.slice(2)
const hibernate = mode === "hibernate"
let marks: Array<MarksAnswer["marks"][number]> = []
const mark = (name: string) => {
  if (hibernate) marks.push({ name, atMs: nowMs() })
}
/** Marks only the first message after a restore: the one that woke the actor. */
let awaitingWakeMessage = false
const store = createMemoryHibernationStore()
const runner = new Runner({
  endpoint: endpoint!,
  namespace: "default",
  runnerName: runnerKey!,
  runnerKey: runnerKey!,
  protocolVersion:
    process.env.BENCH_VERSION === undefined ? undefined : Number(process.env.BENCH_VERSION),
  totalSlots: 10,
  handlers: {
    onActorStart: () => mark("runner: start hook called"),
    onActorStop: () => {},
    websocket: (_actorId, ws, _request, { restored }) => {
      if (restored) {
        mark("runner: socket restored")
        awaitingWakeMessage = true
      }
      ws.addEventListener("message", (event) => {
        if (awaitingWakeMessage) {
          awaitingWakeMessage = false
          mark("runner: message delivered")
        }
        ws.send(event.data)
      })
    },
    canHibernate: () => hibernate,
    ...store,
    loadHibernating: async (actorId) => {
      const sockets = await store.loadHibernating(actorId)
      mark("runner: metadata loaded")
      return sockets
    },
  },
})
await runner.start()
process.send?.({ ready: true })
answerProbes(
  () => runner.shutdown(),
  () => {
    const taken = marks
    marks = []
    return taken
  },
)
