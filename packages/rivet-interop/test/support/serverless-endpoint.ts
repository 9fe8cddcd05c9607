// A serverless endpoint for a published runner, as RivetKit's own `/start` handler does it
// (rivetkit-typescript/packages/rivetkit/src/drivers/engine/actor-driver.ts:464-509@3beb449f6):
// start a runner with what the gateway's headers say, wait until it is accepted, then stream its
// `getServerlessInitPacket()` as an SSE event. Every app shares one store of hibernatable sockets,
// so a socket hibernated on one runner is restored on the next.
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { type PublishedRunner, RivetApp, type SavedSocket } from "./rivet-runner.js"

export interface StartCall {
  readonly app: RivetApp
  /** What the endpoint streamed as the init event's data. */
  packet: string | undefined
  endedAt: number | null
}

export class RivetServerlessEndpoint {
  readonly calls: StartCall[] = []
  readonly #server: Server
  readonly #saved = new Map<string, SavedSocket>()

  private constructor(server: Server, published: PublishedRunner) {
    this.#server = server
    server.on("request", (req, res) => {
      if (req.method !== "GET" || req.url !== "/start") {
        res.writeHead(404).end()
        return
      }
      const header = (name: string) => req.headers[name] as string
      const call: StartCall = { app: new RivetApp(this.#saved), packet: undefined, endedAt: null }
      this.calls.push(call)
      res.on("close", () => {
        call.endedAt = Date.now()
      })
      void call.app
        .start(published, {
          endpoint: header("x-rivet-endpoint"),
          token: header("x-rivet-token"),
          runnerName: header("x-rivet-runner-name"),
          totalSlots: Number(header("x-rivet-total-slots")),
        })
        .then(() => {
          call.packet = call.app.serverlessInitPacket()
          res.writeHead(200, { "content-type": "text/event-stream" })
          res.write(`data: ${call.packet}\n\n`)
        })
    })
  }

  static async start(published: PublishedRunner): Promise<RivetServerlessEndpoint> {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    return new RivetServerlessEndpoint(server, published)
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    await Promise.all(this.calls.map((call) => call.app.shutdown().catch(() => {})))
    this.#server.closeAllConnections()
    await new Promise((resolve) => this.#server.close(resolve))
  }
}
