// Random requests for the gateway, from a seeded generator so that a failure can be replayed:
// paths, query strings, methods, header names and values, as raw bytes (latin1), valid or not.

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

export interface FuzzedRequest {
  readonly upgrade: boolean
  readonly bytes: Buffer
}

const TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~"
const PATH_PIECES = [
  "%",
  "%E0%A4%A",
  "%C3%A9",
  "%ZZ",
  "%00",
  "%2F",
  "%25",
  "%FF%FE",
  "%0D%0A",
  "..",
  ".",
  "//",
  "?",
  "#",
  "é",
  "\u00ff",
  "\u0000",
  "\u007f",
  "[",
  "]",
  "@",
  ":",
  "\\",
  "{}",
  "a",
  "x".repeat(300),
]
const QUERY_PIECES = [
  "protocol_version=3",
  "protocol_version=0",
  "protocol_version=99999999999999999999",
  "protocol_version=-1",
  "protocol_version=%E0%A4%A",
  "namespace=default",
  "namespace=",
  "runner_key=k",
  "runner_key=%00",
  "token=x",
  "history=1",
  "name=a&key=b",
  "%E0%A4%A=%",
  "&&&",
  "=",
  "a=%",
]
const METHODS = [
  "GET",
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "HEAD",
  "OPTIONS",
  "PATCH",
  "CONNECT",
  "G\u00e9T",
  "X",
]
/** Every byte a header value may hold: tab, visible ASCII, space and obs-text. */
const VALUE_CHARS = Array.from({ length: 256 }, (_, byte) => String.fromCharCode(byte))
  .filter((char) => /[\t\x20-\x7e\x80-\xff]/.test(char))
  .join("")
const BAD_NAME_CHARS = [":", " ", "(", "\u0001", "\u00e9", '"', "/", "\t"]

export function fuzzedRequest(random: () => number, actorId: string, host: string): FuzzedRequest {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const count = (max: number) => Math.floor(random() * (max + 1))
  const text = (chars: string, max: number) =>
    Array.from({ length: count(max) }, () => chars[Math.floor(random() * chars.length)]).join("")
  const anyChars = (max: number) =>
    Array.from({ length: count(max) }, () => String.fromCharCode(Math.floor(random() * 256))).join(
      "",
    )

  const prefix = pick([
    `/gateway/${actorId}`,
    `/gateway/${actorId}/`,
    "/gateway/",
    `/gateway/${text(TOKEN_CHARS, 40)}`,
    "/actors",
    `/actors/${text(TOKEN_CHARS, 40)}`,
    "/runners",
    "/runners/connect",
    "/tap",
    "/health",
    "",
    "*",
    "http://[",
    `http://${host}/gateway/${actorId}`,
  ])
  const path = prefix + Array.from({ length: count(4) }, () => `/${pick(PATH_PIECES)}`).join("")
  const query =
    random() < 0.5 ? "" : `?${Array.from({ length: count(4) }, () => pick(QUERY_PIECES)).join("&")}`
  const target = random() < 0.03 ? anyChars(60) : path + query

  const headers: string[] = []
  for (let i = count(4); i > 0; i--) {
    // Mostly what the HTTP parser lets through, so the gateway's own code sees the rest.
    const name =
      random() < 0.9 ? text(TOKEN_CHARS, 20) || "x" : text(TOKEN_CHARS, 8) + pick(BAD_NAME_CHARS)
    const roll = random()
    const value =
      roll < 0.6 ? text(TOKEN_CHARS, 80) : roll < 0.9 ? text(VALUE_CHARS, 80) : anyChars(80)
    headers.push(`${name}: ${value}`)
  }
  if (random() < 0.2) headers.push(`Authorization: Bearer ${anyChars(30)}`)
  if (random() < 0.2)
    headers.push(`Sec-WebSocket-Protocol: ${pick(["rivet", "rivet, rivet_token.x", anyChars(20)])}`)

  const upgrade = random() < 0.5
  const lines = upgrade
    ? [
        `GET ${target} HTTP/1.1`,
        `Host: ${random() < 0.9 ? host : anyChars(20)}`,
        "Connection: Upgrade",
        "Upgrade: websocket",
        `Sec-WebSocket-Version: ${random() < 0.9 ? "13" : anyChars(3)}`,
        `Sec-WebSocket-Key: ${random() < 0.9 ? "dGhlIHNhbXBsZSBub25jZQ==" : anyChars(24)}`,
      ]
    : [
        `${pick(METHODS)} ${target} HTTP/1.1`,
        `Host: ${random() < 0.9 ? host : anyChars(20)}`,
        "Connection: close",
        "Content-Length: 0",
      ]
  return { upgrade, bytes: Buffer.from([...lines, ...headers, "", ""].join("\r\n"), "latin1") }
}
