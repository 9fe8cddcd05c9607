// The baseline: a plain `ws` echo server in its own process. Sends its URL over IPC, then
// answers the bench's probes.
import { WebSocketServer } from "ws"
import { answerProbes } from "./probe.js"

const server = new WebSocketServer({ port: 0, host: "127.0.0.1" })
server.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }))
})
server.on("listening", () => {
  const address = server.address()
  if (typeof address === "object" && address !== null)
    process.send?.({ url: `ws://127.0.0.1:${address.port}` })
})
answerProbes(async () => {
  for (const ws of server.clients) ws.terminate()
  await new Promise((resolve) => server.close(resolve))
})
