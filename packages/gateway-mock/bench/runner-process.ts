// A runner under benchmark, in its own process: `runner-process.ts URL KEY echo|hibernate`.
// Its actors echo each message as it came, like the plain `ws` echo server. With `hibernate`
// its sockets can hibernate, their metadata kept in the runner's memory. The protocol version
// is the runner's default unless BENCH_VERSION names one. Sends the version it speaks over IPC
// once connected, then answers the bench's probes.
import { createMemoryHibernationStore, Runner } from "@tunnelwire/runner"
import { answerProbes } from "./probe.js"

const [endpoint, runnerKey, mode] = process.argv.slice(2)
const runner = new Runner({
  endpoint: endpoint!,
  namespace: "default",
  runnerName: runnerKey!,
  runnerKey: runnerKey!,
  protocolVersion:
    process.env.BENCH_VERSION === undefined ? undefined : Number(process.env.BENCH_VERSION),
  totalSlots: 10,
  handlers: {
    onActorStart: () => {},
    onActorStop: () => {},
    websocket: (_actorId, ws) => {
      ws.addEventListener("message", (event) => ws.send(event.data))
    },
    canHibernate: () => mode === "hibernate",
    ...createMemoryHibernationStore(),
  },
})
await runner.start()
process.send?.({ ready: true })
answerProbes(() => runner.shutdown())
