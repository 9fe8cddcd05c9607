// `npm run load -w @tunnelwire/gateway-mock`: 1,000 concurrent client WebSockets × 100 messages
// each, through one gateway and one runner (the SDK's echo actor). Every message must come back
// to its own socket, in order: the script exits non-zero on any loss.
import { startGateway } from "../src/index.js"
import { gatewaySocketUrl, TestClient } from "../test/support/client.js"
import { echoRunner } from "../test/support/echo-runner.js"

const SOCKETS = Number(process.env.LOAD_SOCKETS ?? 1_000)
const MESSAGES = Number(process.env.LOAD_MESSAGES ?? 100)
const ACTORS = 10
const OPEN_BATCH = 50
/** No message for this long: the run has stalled. */
const STALL_MS = 30_000

const gateway = await startGateway({ port: 0 })
const runner = echoRunner({ endpoint: gateway.url, version: 3 })
await runner.start()
const actors = Array.from({ length: ACTORS }, (_, i) =>
  gateway.createActor({ name: "echo", key: `room-${i}` }),
)

const started = performance.now()
// Opened OPEN_BATCH at a time: a burst of 1,000 handshakes overflows the listen backlog on a
// loaded machine, and the refused ones then fail the run.
const clients: TestClient[] = []
while (clients.length < SOCKETS) {
  const batch = Array.from({ length: Math.min(OPEN_BATCH, SOCKETS - clients.length) }, (_, j) => {
    const i = clients.length + j
    return new TestClient(gatewaySocketUrl(gateway.url, actors[i % ACTORS]!.actorId, `/load/${i}`))
  })
  await Promise.all(batch.map((client) => client.opened))
  clients.push(...batch)
}
const connected = performance.now()
console.log(
  `${SOCKETS} sockets open to ${ACTORS} actors on one runner in ${Math.round(connected - started)} ms`,
)

const expected = (i: number) => Array.from({ length: MESSAGES }, (_, n) => `c${i}:${n}`)
for (const [i, client] of clients.entries()) for (const message of expected(i)) client.send(message)
// Waits as long as messages keep arriving: a loaded machine is slow, not broken. Only a stall
// ends the wait early, and the counts below then show what was lost.
const total = () => clients.reduce((sum, client) => sum + client.messages.length, 0)
let lastCount = -1
let lastProgress = performance.now()
while (total() < SOCKETS * MESSAGES && performance.now() - lastProgress < STALL_MS) {
  if (total() !== lastCount) {
    lastCount = total()
    lastProgress = performance.now()
  }
  await new Promise((resolve) => setTimeout(resolve, 100))
}
const finished = performance.now()

let received = 0
let wrong = 0
for (const [i, client] of clients.entries()) {
  received += client.messages.length
  const want = expected(i)
  if (client.messages.length !== want.length || client.messages.some((m, n) => m !== want[n]))
    wrong++
}
const sent = SOCKETS * MESSAGES
const seconds = (finished - connected) / 1000
console.log(`sent      ${sent}`)
console.log(`received  ${received}`)
console.log(`lost      ${sent - received}`)
console.log(`sockets with a missing, extra or reordered message: ${wrong}`)
console.log(`${Math.round(sent / seconds)} round trips/s (${seconds.toFixed(2)} s)`)

for (const client of clients) client.ws.close()
await Promise.all(clients.map((client) => client.closedPromise))
await runner.shutdown()
await gateway.stop()
if (received !== sent || wrong > 0) process.exitCode = 1
