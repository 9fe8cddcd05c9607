export { type Capabilities, capabilities, type PingSender } from "./capabilities.js"
export {
  CloseCode,
  type CloseCodeValue,
  type CloseRule,
  clientCloseFor,
  closeFrameProblem,
  evictionClose,
  GatewayClose,
  isEvictionReason,
  MAX_CLOSE_REASON_BYTES,
  RUNNER_SHUTDOWN_REASON,
  RunnerClose,
  RunnerConnectionClose,
  withoutRayId,
  withRayId,
} from "./close.js"
export {
  parseRunnerConnectUrl,
  RIVET_SUBPROTOCOL,
  RUNNER_CONNECT_PATH,
  type RunnerConnectParams,
  runnerConnectUrl,
  runnerSubprotocols,
  TOKEN_SUBPROTOCOL_PREFIX,
  tokenFromSubprotocols,
} from "./connection.js"
export {
  closeHibernates,
  keepsSocketWhileActorAway,
  numbersMessages,
  replaysWithStart,
} from "./hibernation.js"
export { createIdMinter, ID_LENGTH, idKey, isRfc4122v4, newId } from "./ids.js"
export {
  classifyIndex,
  INDEX_SPACE,
  indexDistance,
  isNewerIndex,
  nextIndex,
} from "./message-index.js"
export {
  ackNamesGeneration,
  FIRST_TUNNEL_INDEX,
  isSecondFamily,
  KV_LIMITS,
  SECOND_FAMILY_TIMING,
  serverlessInitVersion,
  UNNAMED_GENERATION,
} from "./runner-family.js"
