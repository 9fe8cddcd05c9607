import WebSocket from "ws"
import { parseTapEvent, type TapEvent } from "./tap-event.js"

/**
 * The WebSocket URL of a gateway's tap from its base URL (`http://127.0.0.1:6420`, `ws://…`, or a
 * bare `host:port`). With `history`, the gateway first replays the events it kept.
 */
export function tapUrl(gatewayUrl: string, history: boolean): string {
  const withScheme = /^[a-z]+:\/\//i.test(gatewayUrl) ? gatewayUrl : `http://${gatewayUrl}`
  const url = new URL(withScheme)
  url.protocol = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:"
  if (!url.pathname.endsWith("/tap")) url.pathname = `${url.pathname.replace(/\/$/, "")}/tap`
  if (history) url.searchParams.set("history", "1")
  return url.toString()
}

/** Why a tap stream ended. */
export type TapEnd =
  | { readonly reason: "interrupted" }
  | { readonly reason: "unreachable"; readonly detail: string }
  | { readonly reason: "gone"; readonly code: number; readonly detail: string }

export interface FollowOptions {
  readonly onEvent: (event: TapEvent) => void
  /** Called once the gateway accepted the subscription. */
  readonly onOpen?: () => void
  /** Ends the stream with `interrupted`. */
  readonly signal?: AbortSignal
  /** Bearer token, for a gateway started with one. */
  readonly token?: string
}

/** Streams a gateway's tap until it goes away or `signal` aborts. Never rejects. */
export function followTap(url: string, options: FollowOptions): Promise<TapEnd> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) return resolve({ reason: "interrupted" })
    const headers: Record<string, string> =
      options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }
    const socket = new WebSocket(url, { headers })
    let opened = false
    let failure: string | undefined
    const interrupt = () => {
      socket.close(1000)
      finish({ reason: "interrupted" })
    }
    const finish = (end: TapEnd) => {
      options.signal?.removeEventListener("abort", interrupt)
      resolve(end)
    }
    options.signal?.addEventListener("abort", interrupt, { once: true })
    socket.on("open", () => {
      opened = true
      options.onOpen?.()
    })
    socket.on("message", (data) => {
      const event = parseTapEvent(data.toString())
      if (event !== null) options.onEvent(event)
    })
    socket.on("error", (error) => {
      failure = error.message
    })
    socket.on("close", (code, reason) => {
      if (options.signal?.aborted) return
      if (!opened) finish({ reason: "unreachable", detail: failure ?? `closed with ${code}` })
      else finish({ reason: "gone", code, detail: reason.toString() || (failure ?? "") })
    })
  })
}
