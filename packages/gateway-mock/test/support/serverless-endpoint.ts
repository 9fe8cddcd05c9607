// A serverless endpoint as a user of @tunnelwire/runner writes one: on `GET /start` it starts a
// runner with what the gateway's headers say, and streams the runner's init packet as an SSE event
// once the gateway has accepted it. Hostile modes answer the way a broken endpoint would.
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import type { Runner } from "@tunnelwire/runner"
import { echoRunner } from "./echo-runner.js"

export type EndpointMode =
  | "runner"
  /** Pings, never an init event. */
  | "noInit"
  | "garbageBase64"
  /** A well-formed packet of protocol version 99. */
  | "unknownVersion"
  | "status500"
  /** A 500 whose body never ends. */
  | "status500Endless"
  /** Takes the request and never answers. */
  | "silent"
  | "notEventStream"
  /** One line longer than the gateway's bound. */
  | "endlessLine"
  /** Answers, then ends the stream at once. */
  | "endsEarly"

export interface StartCall {
  readonly headers: IncomingMessage["headers"]
  readonly method: string
  /** Set once the gateway ended the request. */
  endedAt: number | null
  runner: Runner | null
  /** Drops the connection but leaves the runner running, as a half-broken endpoint would. */
  drop(): void
}

export class ServerlessEndpoint {
  readonly calls: StartCall[] = []
  mode: EndpointMode = "runner"
  readonly #server: Server
  readonly #version: number

  private constructor(server: Server, version: number) {
    this.#server = server
    this.#version = version
    server.on("request", (req, res) => {
      if (req.url !== "/start") {
        res.writeHead(404).end()
        return
      }
      let dropped = false
      const call: StartCall = {
        headers: req.headers,
        method: req.method ?? "",
        endedAt: null,
        runner: null,
        drop: () => {
          dropped = true
          res.destroy()
        },
      }
      this.calls.push(call)
      res.on("close", () => {
        call.endedAt = Date.now()
        if (!dropped) void call.runner?.shutdown()
      })
      void this.#answer(this.mode, call, res)
    })
  }

  static async start(version: number): Promise<ServerlessEndpoint> {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    return new ServerlessEndpoint(server, version)
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    await Promise.all(this.calls.map((call) => call.runner?.shutdown()))
    this.#server.closeAllConnections()
    await new Promise((resolve) => this.#server.close(resolve))
  }

  async #answer(
    mode: EndpointMode,
    call: StartCall,
    res: import("node:http").ServerResponse,
  ): Promise<void> {
    const sse = () => res.writeHead(200, { "content-type": "text/event-stream" })
    switch (mode) {
      case "runner": {
        const header = (name: string) => call.headers[name] as string | undefined
        const runner = echoRunner({
          endpoint: header("x-rivet-endpoint")!,
          runnerName: header("x-rivet-runner-name"),
          token: header("x-rivet-token"),
          version: this.#version,
          // A serverless runner lives for one request: sockets' metadata must outlive it.
          persist: "kv",
        })
        call.runner = runner
        await runner.start()
        sse()
        res.write("event: ping\ndata:\n\n")
        res.write(`data: ${runner.serverlessInitPacket()}\n\n`)
        return
      }
      case "noInit":
        sse()
        res.write("event: ping\ndata:\n\n")
        return
      case "garbageBase64":
        sse()
        res.write("data: !!not*base64!!\n\n")
        return
      case "unknownVersion": {
        const packet = Buffer.from([99, 0, 36, ...Buffer.from(crypto.randomUUID()), 7, 0])
        sse()
        res.write(`data: ${packet.toString("base64")}\n\n`)
        return
      }
      case "status500":
        res.writeHead(500, { "content-type": "text/plain" }).end("the endpoint is broken")
        return
      case "status500Endless": {
        res.writeHead(500, { "content-type": "text/plain" })
        const chunk = "B".repeat(64 * 1024)
        const pump = setInterval(() => res.write(chunk), 1)
        res.on("close", () => clearInterval(pump))
        return
      }
      case "silent":
        return
      case "notEventStream":
        res.writeHead(200, { "content-type": "application/json" }).end("{}")
        return
      case "endlessLine":
        sse()
        res.write(`data: ${"A".repeat(80 * 1024)}`)
        return
      case "endsEarly":
        sse()
        res.end("event: ping\ndata:\n\n")
        return
    }
  }
}
