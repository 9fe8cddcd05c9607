// A TCP proxy on 127.0.0.1 in front of a gateway, so a test can cut a runner's connection (as a
// network failure would) without stopping the gateway.
import { connect, createServer, type Server, type Socket } from "node:net"

export class CuttableProxy {
  readonly #server: Server
  readonly #pairs: Set<[Socket, Socket]>

  private constructor(server: Server, pairs: Set<[Socket, Socket]>) {
    this.#server = server
    this.#pairs = pairs
  }

  static async start(targetPort: number): Promise<CuttableProxy> {
    const pairs = new Set<[Socket, Socket]>()
    const server = createServer((inbound) => {
      const outbound = connect(targetPort, "127.0.0.1")
      const pair: [Socket, Socket] = [inbound, outbound]
      pairs.add(pair)
      const end = () => {
        pairs.delete(pair)
        inbound.destroy()
        outbound.destroy()
      }
      for (const socket of pair) {
        socket.on("error", end)
        socket.on("close", end)
      }
      inbound.pipe(outbound)
      outbound.pipe(inbound)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    return new CuttableProxy(server, pairs)
  }

  get url(): string {
    const address = this.#server.address()
    if (address === null || typeof address === "string") throw new Error("not listening")
    return `http://127.0.0.1:${address.port}`
  }

  /** Drops every connection through the proxy at once, with no close handshake. */
  cut(): void {
    for (const [inbound, outbound] of this.#pairs) {
      inbound.destroy()
      outbound.destroy()
    }
    this.#pairs.clear()
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}
