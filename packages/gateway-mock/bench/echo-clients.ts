// The bench's clients: sockets opened in staggered batches, and echo load that records every
// message's round trip. Echoes come back in order on each socket, so a socket's send times form
// a queue.
import { WebSocket } from "ws"

const OPEN_BATCH = 50
const OPEN_TIMEOUT_MS = 15_000
const LOAD_TIMEOUT_MS = 120_000

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error(`no open from ${url} within ${OPEN_TIMEOUT_MS} ms`))
    }, OPEN_TIMEOUT_MS)
    ws.once("open", () => {
      clearTimeout(timer)
      resolve(ws)
    })
    ws.once("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

/** Opens `count` sockets, `OPEN_BATCH` handshakes at a time (a burst of thousands overflows backlogs). */
export async function openSockets(url: string, count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = []
  try {
    while (sockets.length < count) {
      const batch = Math.min(OPEN_BATCH, count - sockets.length)
      sockets.push(...(await Promise.all(Array.from({ length: batch }, () => open(url)))))
    }
  } catch (error) {
    for (const ws of sockets) ws.terminate()
    throw error
  }
  return sockets
}

/** Sends `payload` on each socket and waits for every echo (a socket's first message wakes its actor). */
export async function echoOnce(sockets: readonly WebSocket[], payload: Buffer): Promise<void> {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise((resolve) => {
          ws.once("message", resolve)
          ws.send(payload)
        }),
    ),
  )
}

export interface EchoLoad {
  /** Messages each socket sends. */
  readonly perSocket: number
  /** Messages each socket keeps in flight. */
  readonly window: number
  readonly payload: Buffer
}

export interface EchoResult {
  readonly messages: number
  readonly seconds: number
  /** Every message's round trip, in ms. */
  readonly roundTrips: Float64Array
}

/** Each socket sends `perSocket` messages, `window` at a time; resolves once all came back. */
export function runEchoLoad(sockets: readonly WebSocket[], load: EchoLoad): Promise<EchoResult> {
  const total = sockets.length * load.perSocket
  const roundTrips = new Float64Array(total)
  let recorded = 0
  const started = performance.now()
  return new Promise((resolve, reject) => {
    let remaining = sockets.length
    const timer = setTimeout(
      () => reject(new Error(`echo load stalled: ${recorded} of ${total} messages came back`)),
      LOAD_TIMEOUT_MS,
    )
    for (const ws of sockets) {
      const sentAt = new Float64Array(load.perSocket)
      let sent = 0
      let received = 0
      const send = () => {
        sentAt[sent++] = performance.now()
        ws.send(load.payload)
      }
      const onMessage = () => {
        roundTrips[recorded++] = performance.now() - sentAt[received++]!
        if (sent < load.perSocket) send()
        if (received === load.perSocket) {
          ws.off("message", onMessage)
          if (--remaining === 0) {
            clearTimeout(timer)
            resolve({ messages: total, seconds: (performance.now() - started) / 1000, roundTrips })
          }
        }
      }
      ws.on("message", onMessage)
      while (sent < Math.min(load.window, load.perSocket)) send()
    }
  })
}
