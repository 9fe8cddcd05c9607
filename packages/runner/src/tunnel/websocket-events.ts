// Event classes for the tunnel WebSocket adapter. Node 20 has `MessageEvent` but no `CloseEvent`
// or `ErrorEvent`, so those two are defined here with the standard fields.

export interface TunnelCloseEventInit {
  readonly code: number
  readonly reason: string
  readonly wasClean: boolean
  readonly hibernating: boolean
}

export class TunnelCloseEvent extends Event {
  readonly code: number
  readonly reason: string
  readonly wasClean: boolean
  /**
   * The client's socket stays open at the gateway while the actor is away (its actor stopped or
   * the runner shut down, and the socket may hibernate): it comes back through the `websocket`
   * handler with `{ restored: true }` when the actor starts again.
   */
  readonly hibernating: boolean

  constructor(init: TunnelCloseEventInit) {
    super("close")
    this.code = init.code
    this.reason = init.reason
    this.wasClean = init.wasClean
    this.hibernating = init.hibernating
  }
}

export class TunnelErrorEvent extends Event {
  readonly error: unknown
  readonly message: string

  constructor(error: unknown) {
    super("error")
    this.error = error
    this.message = error instanceof Error ? error.message : String(error)
  }
}
