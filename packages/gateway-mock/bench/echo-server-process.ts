// The baseline: a plain `ws` echo server in its own process. Sends its URL over IPC.
import { WebSocketServer } from "ws"

const server = new WebSocketServer({ port: 0, host: "127.0.0.1" })
server.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }))
})
server.on("listening", () => {
  const address = server.address()
  if (typeof address === "object" && address !== null)
    process.send?.({ url: `ws://127.0.0.1:${address.port}` })
})
process.on("message", (message) => {
  if (message === "stop") {
    for (const ws of server.clients) ws.terminate()
    server.close(() => process.disconnect())
  }
})
