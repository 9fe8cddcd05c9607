// Requests written byte by byte over TCP, so a test can send what no HTTP client would.
import { connect } from "node:net"

export interface RawAnswer {
  /** The status of the first response line; null when the connection ended without one. */
  readonly status: number | null
  readonly head: string
  /** The client gave up waiting: the gateway neither answered nor closed. */
  readonly timedOut: boolean
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/

/** Writes `request` to the gateway and resolves with the status line's code once it arrives. */
export function rawRequest(port: number, request: Buffer, timeoutMs = 15_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1")
    let received = ""
    const done = (answer: Omit<RawAnswer, "head">) => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ ...answer, head: received.split("\r\n\r\n")[0] ?? "" })
    }
    const timer = setTimeout(() => done({ status: null, timedOut: true }), timeoutMs)
    const answered = () => {
      const match = STATUS_LINE.exec(received)
      done({ status: match === null ? null : Number(match[1]), timedOut: false })
    }
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1")
      if (received.includes("\r\n")) answered()
    })
    // A reset after the answer still counts the answer; before it, there was none.
    socket.on("error", answered)
    socket.on("end", answered)
    socket.write(request)
  })
}

/** A WebSocket upgrade request for `target` with extra raw header lines. */
export function upgradeRequest(target: string, host: string, extraHeaders: string[] = []): Buffer {
  return Buffer.from(
    [
      `GET ${target} HTTP/1.1`,
      `Host: ${host}`,
      "Connection: Upgrade",
      "Upgrade: websocket",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      ...extraHeaders,
      "",
      "",
    ].join("\r\n"),
    "latin1",
  )
}

/** A plain HTTP request for `target` that closes the connection after its answer. */
export function httpRequest(
  method: string,
  target: string,
  host: string,
  extraHeaders: string[] = [],
): Buffer {
  return Buffer.from(
    [
      `${method} ${target} HTTP/1.1`,
      `Host: ${host}`,
      "Connection: close",
      ...extraHeaders,
      "",
      "",
    ].join("\r\n"),
    "latin1",
  )
}
