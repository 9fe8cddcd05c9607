export { ActorUnavailableError } from "./actors/actor.js"
export type { ActorFilter } from "./actors/actor-registry.js"
export type { ActorInfo, RunnerInfo } from "./admin-api.js"
export {
  type ActorCreateSpec,
  DuplicateActorError,
  type Gateway,
  startGateway,
} from "./gateway.js"
export type { GatewayOptions } from "./options.js"
export type { ServerlessRunnerConfig } from "./serverless/serverless-config.js"
export { ServerlessError, type ServerlessErrorKind } from "./serverless/serverless-error.js"
export type { ServerlessRequestInfo } from "./serverless/serverless-info.js"
export type { ServerlessRequestState } from "./serverless/serverless-request.js"
export { Tap, type TapListener } from "./tap/tap.js"
export type {
  ActorEvent,
  FaultEvent,
  FrameEvent,
  RequestEvent,
  RunnerEvent,
  SocketEvent,
  TapEvent,
  TapEventBody,
} from "./tap/tap-event.js"
export { formatTapEvent } from "./tap/tap-log.js"
