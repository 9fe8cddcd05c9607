export type { BackoffOptions } from "./backoff.js"
export type {
  ActorConfig,
  ActorStopInfo,
  ActorStopReason,
  RunnerConfig,
  RunnerHandlers,
  WebSocketInfo,
} from "./config.js"
export {
  type ActorKv,
  type KvEntry,
  KvError,
  type KvListOptions,
  RunnerLostError,
  type RunnerLostReason,
} from "./kv.js"
export { type Logger, silentLogger } from "./logger.js"
export { Runner } from "./runner.js"
export {
  createMemoryHibernationStore,
  type HibernatingSocket,
  type HibernationHooks,
} from "./tunnel/hibernation.js"
export {
  type BinaryType,
  type MessageData,
  TunnelWebSocket,
  type TunnelWebSocketEventMap,
} from "./tunnel/websocket.js"
export { TunnelCloseEvent, TunnelErrorEvent } from "./tunnel/websocket-events.js"
