import type { v3 } from "../src/index.js"

export interface BenchMessage {
  readonly name: string
  readonly message: v3.ToClient
}

/** Deterministic bytes (xorshift32), so every run encodes exactly the same messages. */
function patternBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length)
  let state = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    bytes[i] = state & 0xff
  }
  return bytes
}

function utf8(text: string): ArrayBuffer {
  return new TextEncoder().encode(text).buffer
}

const ACTOR_ID = "3f1c9a2e-7b4d-4e8a-9c21-5d6f7a8b9c0d"

function tunnelMessage(seed: number, messageKind: v3.ToClientTunnelMessageKind): v3.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: {
      requestId: patternBytes(16, seed).buffer,
      messageId: patternBytes(16, seed + 1).buffer,
      messageKind,
      gatewayReplyTo: null,
    },
  }
}

function webSocketMessage(payload: Uint8Array<ArrayBuffer>): v3.ToClient {
  return tunnelMessage(payload.length, {
    tag: "ToClientWebSocketMessage",
    val: { index: 17, data: payload.buffer, binary: true },
  })
}

/** The payload of the large WebSocket message, also the input of the plain-copy baseline. */
export const largePayload = patternBytes(16 * 1024, 7)
export const largeWebSocketMessage = webSocketMessage(largePayload)

const requestStart = tunnelMessage(101, {
  tag: "ToClientRequestStart",
  val: {
    actorId: ACTOR_ID,
    method: "POST",
    path: "/api/v1/orders?include=items&limit=20",
    headers: new Map([
      ["host", "orders.actors.example.com"],
      [
        "user-agent",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
      ],
      ["accept", "application/json, text/plain, */*"],
      ["accept-encoding", "gzip, deflate, br"],
      ["accept-language", "en-US,en;q=0.9"],
      ["content-type", "application/json"],
      ["content-length", "57"],
      ["x-forwarded-for", "203.0.113.42"],
      ["x-request-id", "01J8Z6Q2W3E4R5T6Y7U8I9O0PA"],
      ["authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJl"],
    ]),
    body: utf8('{"sku":"A-1042","quantity":2,"note":"gift wrap, no card"}'),
    stream: false,
  },
})

const startActor: v3.ToClient = {
  tag: "ToClientCommands",
  val: [
    {
      index: 1042n,
      inner: {
        tag: "CommandStartActor",
        val: {
          actorId: ACTOR_ID,
          generation: 3,
          config: {
            name: "chat-room",
            key: "rooms/lobby",
            createTs: 1_735_689_600_123n,
            input: patternBytes(48, 11).buffer,
          },
          hibernatingRequestIds: [patternBytes(16, 12).buffer],
        },
      },
    },
  ],
}

const KV_ENTRIES = Array.from({ length: 10 }, (_, i) => i)

const kvGetResponse: v3.ToClient = {
  tag: "ToClientKvResponse",
  val: {
    requestId: 77,
    data: {
      tag: "KvGetResponse",
      val: {
        keys: KV_ENTRIES.map((i) => utf8(`state/messages/${i}`)),
        values: KV_ENTRIES.map((i) => patternBytes(40 + i * 8, 200 + i).buffer),
        metadata: KV_ENTRIES.map((i) => ({
          version: patternBytes(8, 300 + i).buffer,
          createTs: 1_735_689_600_000n + BigInt(i),
        })),
      },
    },
  },
}

/** The mix: one of each, weighted equally. */
export const benchMessages: readonly BenchMessage[] = [
  { name: "ws message 64 B", message: webSocketMessage(patternBytes(64, 7)) },
  { name: "ws message 16 KiB", message: largeWebSocketMessage },
  { name: "http request start", message: requestStart },
  { name: "command start actor", message: startActor },
  { name: "kv get response x10", message: kvGetResponse },
]
