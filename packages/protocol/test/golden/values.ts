// The realistic, fixed values the golden fixtures are built from. Nothing here is random or
// read from the clock: regenerating the corpus must give the same bytes on every machine.
import { RIVET_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from "../../src/index.js"

/** The bytes of a UTF-8 string, as the `ArrayBuffer` the codecs use for `data`. */
export function utf8(text: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(text)
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
}

export function bytes(...values: readonly number[]): ArrayBuffer {
  return new Uint8Array(values).buffer
}

/** The 16 bytes of a UUID: how the gateway mints request ids. */
export function uuid(text: string): ArrayBuffer {
  const hex = text.replaceAll("-", "")
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`not a UUID: ${text}`)
  const out = new Uint8Array(16)
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out.buffer
}

export const RUNNER_NAME = "chat-runner"
export const RUNNER_ID = "0193b2c4-5d6e-7f80-9a1b-2c3d4e5f6071"
export const ACTOR_ID = "0193b2c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f"
export const OTHER_ACTOR_ID = "0193b2c5-9f8e-7d6c-8b5a-4f3e2d1c0b0a"
export const ACTOR_NAME = "chat-room"

export const REQUEST_ID = uuid("5b0e9c4a-3f1d-4e8a-9c27-1d6f0a4b8e33")
export const MESSAGE_ID = uuid("c7d2e1f0-8a9b-4c3d-b2e1-0f9a8b7c6d5e")
/** The subject a gateway process listens on for replies to the messages it relays. */
export const GATEWAY_REPLY_TO = "gateway.3f9a2c.reply"
export const HIBERNATING_REQUEST_IDS = [
  uuid("1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"),
  uuid("9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d"),
]

/** Milliseconds since the epoch: 2024-11-24T00:00:00Z, when the actor was created. */
export const CREATE_TS = 1_732_406_400_000n
export const PING_TS = 1_732_406_461_234n
export const ALARM_TS = 1_732_410_000_000n
/** Past 2^53: pins that 64-bit indexes travel as bigints, not as rounded numbers. */
export const LATE_EVENT_INDEX = 9_007_199_254_740_993n
export const RUNNER_LOST_THRESHOLD_MS = 15_000n

export const HTTP_REQUEST_HEADERS: ReadonlyMap<string, string> = new Map([
  ["host", "chat-room.actors.example.com"],
  ["user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"],
  ["content-type", "application/json"],
  ["authorization", "Bearer tw_test_4f9c2b7e1d"],
  ["x-request-id", "req_7Hq2LmZ9"],
])

export const HTTP_RESPONSE_HEADERS: ReadonlyMap<string, string> = new Map([
  ["content-type", "application/json; charset=utf-8"],
  ["cache-control", "no-store"],
  ["set-cookie", "session=s3cr3t; HttpOnly; Secure"],
])

export const WEBSOCKET_HEADERS: ReadonlyMap<string, string> = new Map([
  ["host", "chat-room.actors.example.com"],
  ["origin", "https://app.example.com"],
  ["sec-websocket-version", "13"],
  ["sec-websocket-protocol", `${RIVET_SUBPROTOCOL}, ${TOKEN_SUBPROTOCOL_PREFIX}tw_test_4f9c2b7e1d`],
])

export const REQUEST_BODY = utf8('{"text":"hello, room","author":"ada"}')
export const RESPONSE_BODY = utf8('{"id":42,"text":"hello, room","author":"ada"}')
export const RESPONSE_CHUNK = utf8('data: {"typing":"ada"}\n\n')
export const WEBSOCKET_TEXT = utf8('{"type":"subscribe","channel":"general"}')
/** A MessagePack map `{"n": 7}`: a binary frame that is not valid text. */
export const WEBSOCKET_BINARY = bytes(0x81, 0xa1, 0x6e, 0x07)
export const ACTOR_INPUT = utf8('{"topic":"general","maxMembers":50}')

export const KV_KEYS = [utf8("messages/0001"), utf8("messages/0002")]
export const KV_VALUES = [utf8('{"text":"hi"}'), utf8('{"text":"hello"}')]
/** A key with bytes outside ASCII: keys are raw bytes, not strings. */
export const KV_BINARY_KEY = bytes(0x00, 0xff, 0x10, 0x80)
