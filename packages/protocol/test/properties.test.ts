import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  fromJson,
  JsonMappingError,
  PROTOCOL_VERSIONS,
  redact,
  redactFrame,
  schemas,
  stringify,
  toJson,
  v3,
} from "../src/index.js"
import { arbitraryOf } from "./support/arbitrary.js"
import { comparable } from "./support/comparable.js"
import { rootCodecOf, rootCodecsOf } from "./support/root-codecs.js"

const RUNS = { numRuns: 1000 }

/** The hand-built messages below are v3 messages: say so, rather than lean on the default. */
const V3 = { version: 3 } as const

describe.each(PROTOCOL_VERSIONS)("v%i", (version) => {
  const schema = schemas[version]

  it("offers a codec for exactly the root types its schema lists", () => {
    expect(Object.keys(rootCodecsOf(version)).sort()).toEqual([...schema.roots].sort())
  })

  describe.each(schema.roots)("%s", (root) => {
    const codec = rootCodecOf(version, root)
    const messages = arbitraryOf(schema, root)
    const type = { version, type: root }

    it("decodes its own encoding to an equal message that encodes to the same bytes", () => {
      fc.assert(
        fc.property(messages, (message) => {
          const bytes = codec.encode(message)
          const decoded = codec.decode(bytes)
          expect(comparable(decoded)).toStrictEqual(comparable(message))
          expect(codec.encode(decoded)).toEqual(bytes)
        }),
        RUNS,
      )
    })

    it("maps to JSON text and back to a message with the same bytes", () => {
      fc.assert(
        fc.property(messages, (message) => {
          const json = codec.toJson(message)
          expect(toJson(message, type)).toStrictEqual(json)
          const parsed: unknown = JSON.parse(JSON.stringify(json))
          const bytes = codec.encode(message)
          expect(codec.encode(codec.fromJson(parsed))).toEqual(bytes)
          expect(codec.encode(fromJson(parsed, type))).toEqual(bytes)
        }),
        RUNS,
      )
    })

    it("stringifies to one line that the decoded message shares", () => {
      fc.assert(
        fc.property(messages, fc.boolean(), (message, redact) => {
          const line = codec.stringify(message, { redact })
          expect(line).not.toMatch(/[\n\r]/)
          expect(stringify(message, { ...type, redact })).toBe(line)
          expect(codec.stringify(codec.decode(codec.encode(message)), { redact })).toBe(line)
        }),
        RUNS,
      )
    })
  })
})

/** 16 bytes counting up from `first`, as a request or message id. */
function id(first: number): ArrayBuffer {
  return Uint8Array.from({ length: 16 }, (_, i) => first + i).buffer
}

function utf8(text: string): ArrayBuffer {
  return new TextEncoder().encode(text).buffer
}

function webSocketOpen(headers: ReadonlyMap<string, string>): v3.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: {
      requestId: id(1),
      messageId: id(0xa0),
      messageKind: {
        tag: "ToClientWebSocketOpen",
        val: { actorId: "actor-1", path: "/ws", headers },
      },
      gatewayReplyTo: null,
    },
  }
}

function responseChunk(body: ArrayBuffer): v3.ToServer {
  return {
    tag: "ToServerTunnelMessage",
    val: {
      requestId: id(1),
      messageId: id(0xa0),
      messageKind: { tag: "ToServerResponseChunk", val: { body, finish: true } },
    },
  }
}

describe("stringify", () => {
  it("shows ids as their first four bytes in hex and their length, payloads as length and text", () => {
    const message = responseChunk(utf8("hello, tunnel! this payload runs past sixteen bytes"))
    expect(stringify(message, V3)).toBe(
      "ToServerTunnelMessage{requestId: 01020304…(16), messageId: a0a1a2a3…(16), " +
        'messageKind: ToServerResponseChunk{body: 51B "hello, tunnel! t"…, finish: true}}',
    )
  })

  it("previews a binary payload as hex and an empty one as 0B", () => {
    expect(stringify(responseChunk(new Uint8Array([0x00, 0xff, 0x10]).buffer), V3)).toContain(
      "body: 3B 00ff10,",
    )
    expect(stringify(responseChunk(new ArrayBuffer(0)), V3)).toContain("body: 0B,")
  })

  it("writes 64-bit integers with an n suffix, down to the i64 minimum", () => {
    const ack: v3.ToServer = {
      tag: "ToServerAckCommands",
      val: { lastCommandIdx: -0x8000_0000_0000_0000n },
    }
    expect(stringify(ack, V3)).toBe("ToServerAckCommands{lastCommandIdx: -9223372036854775808n}")
  })

  it("names a void member by its type", () => {
    expect(stringify({ tag: "ToClientClose", val: null }, V3)).toBe("ToClientClose")
  })

  it("lists map entries in order and redacts credentials, tokens and the token subprotocol", () => {
    const headers = new Map([
      ["Authorization", "Bearer s3cret"],
      ["cookie", "session=abc"],
      ["Set-Cookie", "session=def"],
      ["x-rivet-token", "tok"],
      ["sec-websocket-protocol", "rivet, rivet_token.abc123"],
      ["accept", "*/*"],
    ])
    expect(stringify(webSocketOpen(headers), V3)).toBe(
      "ToClientTunnelMessage{requestId: 01020304…(16), messageId: a0a1a2a3…(16), " +
        'messageKind: ToClientWebSocketOpen{actorId: "actor-1", path: "/ws", headers: {' +
        '"Authorization": "<redacted>", "cookie": "<redacted>", "Set-Cookie": "<redacted>", ' +
        '"x-rivet-token": "<redacted>", "sec-websocket-protocol": "rivet, rivet_token.<redacted>", ' +
        '"accept": "*/*"}}, gatewayReplyTo: null}',
    )
  })

  it("shows the secrets with redact: false", () => {
    const headers = new Map([
      ["authorization", "Bearer s3cret"],
      ["sec-websocket-protocol", "rivet, rivet_token.abc123"],
    ])
    const line = stringify(webSocketOpen(headers), { ...V3, redact: false })
    expect(line).toContain('"authorization": "Bearer s3cret"')
    expect(line).toContain('"sec-websocket-protocol": "rivet, rivet_token.abc123"')
  })

  it("redacts credential query parameters in a path and keeps the others", () => {
    const open = webSocketOpen(new Map())
    const withPath = (path: string): v3.ToClient =>
      ({
        ...open,
        val: {
          ...open.val,
          messageKind: {
            tag: "ToClientWebSocketOpen",
            val: { actorId: "a", path, headers: new Map() },
          },
        },
      }) as v3.ToClient
    expect(stringify(withPath("/chat?room=1&token=t0k&access_token=t1k&x=2"))).toContain(
      'path: "/chat?room=1&token=<redacted>&access_token=<redacted>&x=2"',
    )
    expect(stringify(withPath("/chat?api_key=k#frag"))).toContain(
      'path: "/chat?api_key=<redacted>#frag"',
    )
  })

  it("redacts a message into one that still encodes, with every secret value gone from the bytes", () => {
    const headers = new Map([
      ["authorization", "Bearer s3cret-a"],
      ["cookie", "session=s3cret-b"],
      ["sec-websocket-protocol", "rivet, rivet_token.s3cret-c"],
      ["accept", "*/*"],
    ])
    const message = webSocketOpen(headers)
    const redacted = redact(message, { version: 3, type: "ToClient" })
    const bytes = v3.encodeToClient(redacted)
    expect(Buffer.from(bytes).toString("latin1")).not.toMatch(/s3cret/)
    expect(v3.decodeToClient(bytes)).toEqual(redacted)
    expect(stringify(v3.decodeToClient(bytes), { redact: false })).toContain(
      '"sec-websocket-protocol": "rivet, rivet_token.<redacted>", "accept": "*/*"',
    )
    // The original is left as it was.
    expect(headers.get("authorization")).toBe("Bearer s3cret-a")
  })

  it("gives back a message without secrets as it is, and its frame's bytes unencoded", () => {
    const message = webSocketOpen(new Map([["accept", "*/*"]]))
    expect(redact(message, { version: 3, type: "ToClient" })).toBe(message)
    const bytes = v3.encodeToClient(message)
    expect(redactFrame(bytes, { version: 3, type: "ToClient" }).wire).toBe(bytes)
  })

  it("cuts long maps after maxEntries and says how many it left out", () => {
    const headers = new Map(Array.from({ length: 5 }, (_, i) => [`h${i}`, `${i}`]))
    expect(stringify(webSocketOpen(headers), { ...V3, maxEntries: 2 })).toContain(
      'headers: {"h0": "0", "h1": "1", …(+3)}',
    )
  })

  it("escapes line breaks inside strings, keeping the message on one line", () => {
    const headers = new Map([["x-note", "one\ntwo\r\nthree"]])
    expect(stringify(webSocketOpen(headers), V3)).toContain('"x-note": "one\\ntwo\\r\\nthree"')
  })
})

describe("JSON mapping", () => {
  const tricky = new Map([
    ["10", "ten"],
    ["2", "two"],
    ["__proto__", "proto"],
    ["b", "bee"],
    ["1", "one"],
    ["constructor", "ctor"],
  ])

  it("keeps map entries in order, numeric-looking and __proto__ keys included", () => {
    const message = webSocketOpen(tricky)
    const json = toJson(message, V3)
    expect(JSON.stringify(json)).toContain(
      '"headers":[["10","ten"],["2","two"],["__proto__","proto"],["b","bee"],["1","one"],' +
        '["constructor","ctor"]]',
    )
    const back = fromJson(JSON.parse(JSON.stringify(json)), { ...V3, type: "ToClient" })
    expect(comparable(back)).toStrictEqual(comparable(message))
    expect(v3.encodeToClient(v3.fromJsonToClient(json))).toEqual(v3.encodeToClient(message))
  })

  it.each([
    ["the i64 minimum", -0x8000_0000_0000_0000n, "-9223372036854775808"],
    ["the i64 maximum", 0x7fff_ffff_ffff_ffffn, "9223372036854775807"],
    ["zero", 0n, "0"],
  ])("writes %s as a decimal string and reads it back", (_name, value, text) => {
    const ack: v3.ToServer = { tag: "ToServerAckCommands", val: { lastCommandIdx: value } }
    expect(toJson(ack, V3)).toStrictEqual({
      tag: "ToServerAckCommands",
      val: { lastCommandIdx: text },
    })
    expect(
      fromJson(JSON.parse(JSON.stringify(toJson(ack, V3))), { ...V3, type: "ToServer" }),
    ).toStrictEqual(ack)
  })

  it("writes the u64 maximum as a decimal string and reads it back", () => {
    const message = kvList(0xffff_ffff_ffff_ffffn)
    expect(toJson(message, V3)).toStrictEqual(kvListJson("18446744073709551615"))
    expect(fromJson(kvListJson("18446744073709551615"), { ...V3, type: "ToServer" })).toStrictEqual(
      message,
    )
  })

  it.each([
    ["a u64 one past its maximum", kvListJson("18446744073709551616"), "out of u64 range"],
    ["a negative u64", kvListJson("-1"), "out of u64 range"],
    ["a u64 as a JSON number", kvListJson(5), "expected a decimal string for u64"],
    ["a u64 in hex", kvListJson("0x10"), "expected a decimal string for u64"],
    ["a u64 with a leading zero", kvListJson("010"), "expected a decimal string for u64"],
    ["a u64 in exponent form", kvListJson("1e3"), "expected a decimal string for u64"],
  ])("refuses %s, naming the path", (_name, json, reason) => {
    expectMappingError(json, "ToServer.val.data.val.limit", reason)
  })

  it("refuses an i64 one below its minimum", () => {
    expectMappingError(
      { tag: "ToServerAckCommands", val: { lastCommandIdx: "-9223372036854775809" } },
      "ToServer.val.lastCommandIdx",
      "out of i64 range",
    )
  })

  it.each([
    [
      "a request id of 15 bytes",
      tunnelAckJson({ requestId: "00".repeat(15) }),
      "ToServer.val.requestId",
      "expected 16 bytes, got 15",
    ],
    [
      "a request id that is not hex",
      tunnelAckJson({ requestId: "zz".repeat(16) }),
      "ToServer.val.requestId",
      "expected hex",
    ],
    [
      "an unknown union tag",
      { tag: "ToServerTeleport", val: null },
      "ToServer",
      'unknown tag "ToServerTeleport"',
    ],
    ["a missing field", { tag: "ToServerPing", val: {} }, "ToServer.val", "missing field ts"],
    [
      "an unknown field named __proto__",
      JSON.parse('{"tag":"ToServerPing","val":{"ts":"1","__proto__":{}}}'),
      "ToServer.val",
      "unknown field __proto__",
    ],
    [
      "an enum name that does not exist",
      actorStoppedJson("CRASHED"),
      "ToServer.val[0].inner.val.state.val.code",
      "expected one of Ok, Error",
    ],
    [
      "a u32 out of range",
      {
        tag: "ToServerKvRequest",
        val: { actorId: "a", requestId: -1, data: { tag: "KvDropRequest", val: null } },
      },
      "ToServer.val.requestId",
      "expected an integer in u32 range",
    ],
  ])("refuses %s with a JsonMappingError naming the path", (_name, json, path, reason) => {
    expectMappingError(json, path, reason)
  })

  it("refuses a map entry that is not a pair and a duplicated map key", () => {
    expectMappingError(
      webSocketOpenJson([["accept", "*/*"], ["lonely"]]),
      "ToClient.val.messageKind.val.headers",
      "entry 1 is not a pair",
    )
    expectMappingError(
      webSocketOpenJson([
        ["__proto__", "1"],
        ["__proto__", "2"],
      ]),
      "ToClient.val.messageKind.val.headers",
      "duplicate key at entry 1",
    )
  })

  it("refuses payloads that are not padded base64", () => {
    expectMappingError(
      { tag: "ToServerTunnelMessage", val: { ...responseChunkJson("aGVsbG8") } },
      "ToServer.val.messageKind.val.body",
      "expected padded base64",
    )
  })
})

function kvList(limit: bigint): v3.ToServer {
  const query = { tag: "KvListAllQuery", val: null } as const
  return {
    tag: "ToServerKvRequest",
    val: {
      actorId: "a",
      requestId: 1,
      data: { tag: "KvListRequest", val: { query, reverse: null, limit } },
    },
  }
}

function kvListJson(limit: unknown): unknown {
  return {
    tag: "ToServerKvRequest",
    val: {
      actorId: "a",
      requestId: 1,
      data: {
        tag: "KvListRequest",
        val: { query: { tag: "KvListAllQuery", val: null }, reverse: null, limit },
      },
    },
  }
}

function tunnelAckJson(ids: { requestId: string }): unknown {
  return {
    tag: "ToServerTunnelMessage",
    val: {
      requestId: ids.requestId,
      messageId: "00".repeat(16),
      messageKind: { tag: "TunnelAck", val: null },
    },
  }
}

function responseChunkJson(body: string): Record<string, unknown> {
  return {
    requestId: "00".repeat(16),
    messageId: "00".repeat(16),
    messageKind: { tag: "ToServerResponseChunk", val: { body, finish: true } },
  }
}

function actorStoppedJson(code: string): unknown {
  return {
    tag: "ToServerEvents",
    val: [
      {
        index: "0",
        inner: {
          tag: "EventActorStateUpdate",
          val: {
            actorId: "a",
            generation: 0,
            state: { tag: "ActorStateStopped", val: { code, message: null } },
          },
        },
      },
    ],
  }
}

function webSocketOpenJson(headers: unknown): unknown {
  return {
    tag: "ToClientTunnelMessage",
    val: {
      requestId: "00".repeat(16),
      messageId: "00".repeat(16),
      messageKind: { tag: "ToClientWebSocketOpen", val: { actorId: "a", path: "/", headers } },
      gatewayReplyTo: null,
    },
  }
}

/** `fromJson` of v3 `json` as the root type its path starts with fails at `path` for `reason`. */
function expectMappingError(json: unknown, path: string, reason: string): void {
  const root = path.split(/[.[]/)[0]!
  let error: unknown
  try {
    fromJson(json, { ...V3, version: 3, type: root })
  } catch (caught) {
    error = caught
  }
  expect(error).toBeInstanceOf(JsonMappingError)
  expect(error).toMatchObject({ path, version: 3, reason })
}
