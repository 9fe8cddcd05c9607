import { type IncomingMessage, STATUS_CODES } from "node:http"
import type { Duplex } from "node:stream"

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void

/**
 * Wraps the server's synchronous `upgrade` handler so that nothing a client sends can end the
 * process through it: an error is reported and answered with 500, or the socket is destroyed
 * once `upgraded` says it already became a WebSocket. Node also leaves an upgrade socket without
 * an error listener, so a client's reset would otherwise be an uncaught error.
 */
export function guardUpgrade(
  handle: UpgradeHandler,
  report: (message: string) => void,
  upgraded: (socket: Duplex) => boolean,
): UpgradeHandler {
  return (req, socket, head) => {
    socket.on("error", () => socket.destroy())
    try {
      handle(req, socket, head)
    } catch (error) {
      report(`upgrade ${req.url} failed: ${String(error)}`)
      if (socket.writable && !upgraded(socket)) refuseUpgrade(socket, 500, "internal error")
      else socket.destroy()
    }
  }
}

/** Answers an upgrade request with a plain HTTP error: the socket never becomes a WebSocket. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  )
}
