export { INSPECT_HELP, type InspectIo, runInspect } from "./cli.js"
export { decodeFrame, type FrameRequest, type FrameResult } from "./decode/decode-frame.js"
export { hexDumpAround } from "./decode/hex-dump.js"
export { bytesFromText, type InputEncoding, InputError } from "./decode/read-input.js"
