// What the tap reports. Every event is plain JSON so it can cross a WebSocket to the inspector as is.

/** A frame on a runner connection, decoded and stringified in the connection's own version. */
export interface FrameEvent {
  readonly type: "frame"
  readonly direction: "toRunner" | "fromRunner"
  readonly runnerId: string
  readonly runnerKey: string
  readonly version: number
  /** Hex of the tunnel request id, or null for a frame that is not a tunnel message. */
  readonly requestId: string | null
  /** The actor the frame concerns (a command, event, KV request or tunneled request), if any. */
  readonly actorId: string | null
  /** The innermost message kind, such as `ToClientWebSocketMessage` or `ToServerPing`. */
  readonly kind: string
  readonly text: string
  /** The frame as sent on the wire, base64. */
  readonly wire: string
}

export interface RunnerEvent {
  readonly type: "runner"
  readonly event: "connected" | "disconnected" | "rejected"
  readonly runnerId: string | null
  readonly runnerKey: string
  readonly runnerName: string | null
  readonly version: number | null
  readonly code: number | null
  readonly reason: string | null
}

export interface ActorEvent {
  readonly type: "actor"
  readonly event: "created" | "starting" | "running" | "stopping" | "stopped" | "destroyed"
  readonly actorId: string
  readonly name: string
  readonly key: string | null
  readonly generation: number
  readonly runnerId: string | null
}

/** One client WebSocket's life: open, hibernate, wake, close (with who closed it and why). */
export interface SocketEvent {
  readonly type: "socket"
  readonly event: "open" | "hibernate" | "wake" | "close"
  readonly requestId: string
  readonly actorId: string
  readonly path: string
  readonly runnerId: string | null
  readonly code: number | null
  readonly reason: string | null
  /** Messages held for the actor (sent and unacknowledged, or waiting while it is away). */
  readonly pending: number
}

export interface RequestEvent {
  readonly type: "request"
  readonly event: "start" | "response" | "end" | "abort"
  readonly requestId: string
  readonly actorId: string
  readonly method: string
  readonly path: string
  readonly status: number | null
}

/** Something a peer did wrong, or a request the gateway gave up on. */
export interface FaultEvent {
  readonly type: "fault"
  readonly message: string
  readonly runnerId: string | null
  readonly requestId: string | null
}

export type TapEventBody =
  | FrameEvent
  | RunnerEvent
  | ActorEvent
  | SocketEvent
  | RequestEvent
  | FaultEvent

/** Sequence number (per gateway, from 1) and wall-clock time in milliseconds. */
export type TapEvent = TapEventBody & { readonly seq: number; readonly time: number }
