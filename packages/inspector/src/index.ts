export {
  formatSession,
  parseSession,
  SessionFileError,
  type SessionHeader,
} from "../web/session-file.js"
export {
  FilterError,
  kindOf,
  matchesFilter,
  parseFilter,
  TapContext,
  type TapFilter,
} from "../web/tap-filter.js"
export { INSPECT_HELP, type InspectIo, nodeInspectIo, runInspect } from "./cli.js"
export { decodeFrame, type FrameRequest, type FrameResult } from "./decode/decode-frame.js"
export { hexDumpAround } from "./decode/hex-dump.js"
export { bytesFromText, type InputEncoding, InputError } from "./decode/read-input.js"
export { formatEvent } from "./tail/format-event.js"
export { redactTapEvent } from "./tap/redact-event.js"
export type {
  ActorEvent,
  FaultEvent,
  FrameEvent,
  RequestEvent,
  RunnerEvent,
  SocketEvent,
  TapEvent,
} from "./tap/tap-event.js"
export { followTap, type TapEnd, tapUrl } from "./tap/tap-stream.js"
export type { RelayMessage } from "./ui/tap-relay.js"
export {
  type InspectorUi,
  type InspectorUiOptions,
  type RecordedSession,
  startInspectorUi,
} from "./ui/ui-server.js"
