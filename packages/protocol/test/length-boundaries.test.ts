import { Buffer } from "node:buffer"
import { describe, expect, it } from "vitest"
import { asUint8Array, type BytesLike, EncodeError, stringify, v3, v7 } from "../src/index.js"
import { comparable } from "./support/comparable.js"

/** Lengths where the varint prefix grows a byte, or that are simply large, with their prefix. */
const BOUNDARIES: readonly (readonly [number, readonly number[]])[] = [
  [0, [0x00]],
  [127, [0x7f]],
  [128, [0x80, 0x01]],
  [16383, [0xff, 0x7f]],
  [16384, [0x80, 0x80, 0x01]],
  [20000, [0xa0, 0x9c, 0x01]],
  [1048576, [0x80, 0x80, 0x40]],
  [2097151, [0xff, 0xff, 0x7f]],
  [2097152, [0x80, 0x80, 0x80, 0x01]],
]

/**
 * Decoding a list builds one object per entry, so the rich list cases stop at 20000 entries;
 * the largest lengths are covered by the lean list of empty keys below.
 */
const LIST_BOUNDARIES = BOUNDARIES.filter(([length]) => length <= 20000)
const LARGE_LIST_BOUNDARIES = BOUNDARIES.filter(([length]) => length > 20000)

const REQUEST_ID = new Uint8Array(16).fill(0x11).buffer
const MESSAGE_ID = new Uint8Array(16).fill(0x22).buffer

/** `length` bytes of printable ASCII, so the byte length equals the string length. */
function asciiText(length: number): string {
  const pattern = "tunnelwire-0123456789"
  return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length)
}

/** Bytes that are not all alike, so a shifted or truncated copy does not compare equal. */
function payload(length: number): ArrayBuffer {
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + 7) & 0xff
  return bytes.buffer
}

/** Byte equality that stays fast at megabytes, where a deep `toEqual` walks element by element. */
function sameBytes(a: BytesLike, b: BytesLike): boolean {
  return Buffer.compare(asUint8Array(a), asUint8Array(b)) === 0
}

/** Two bytes counting up, so a list that lost or reordered an entry is seen. */
function numberedKey(i: number): ArrayBuffer {
  return new Uint8Array([i & 0xff, i >> 8]).buffer
}

function kvDrop(actorId: string): v3.ToServer {
  return {
    tag: "ToServerKvRequest",
    val: { actorId, requestId: 7, data: { tag: "KvDropRequest", val: null } },
  }
}

function webSocketMessage(data: ArrayBuffer, requestId = REQUEST_ID): v3.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: {
      requestId,
      messageId: MESSAGE_ID,
      messageKind: { tag: "ToClientWebSocketMessage", val: { index: 3, data, binary: true } },
      gatewayReplyTo: null,
    },
  }
}

function bytesAt(bytes: Uint8Array, offset: number, count: number): number[] {
  return [...bytes.subarray(offset, offset + count)]
}

describe.each(BOUNDARIES)("a length of %i", (length, prefix) => {
  it("as an actor id string: written after a varint of its byte length, read back whole", () => {
    const message = kvDrop(asciiText(length))
    const bytes = v3.encodeToServer(message)
    // ToServer tag 5 (ToServerKvRequest), then the actor id's length prefix.
    expect(bytes[0]).toBe(5)
    expect(bytesAt(bytes, 1, prefix.length)).toEqual(prefix)
    // tag, prefix, text, requestId u32, KvDropRequest tag
    expect(bytes.length).toBe(1 + prefix.length + length + 4 + 1)
    expect(v3.decodeToServer(bytes)).toStrictEqual(message)
  })

  it("as WebSocket message data: written after a varint of its length, read back whole", () => {
    const data = payload(length)
    const message = webSocketMessage(data)
    const bytes = v3.encodeToClient(message)
    // ToClient tag, requestId, messageId, ToClientWebSocketMessage tag, index u16
    const prefixAt = 1 + 16 + 16 + 1 + 2
    expect(bytesAt(bytes, prefixAt, prefix.length)).toEqual(prefix)
    // binary bool and the absent gatewayReplyTo follow the data
    expect(bytes.length).toBe(prefixAt + prefix.length + length + 2)
    const decoded = v3.decodeToClient(bytes)
    const kind = decoded.tag === "ToClientTunnelMessage" ? decoded.val.messageKind : undefined
    if (kind?.tag !== "ToClientWebSocketMessage") throw new Error(`decoded ${stringify(decoded)}`)
    expect(sameBytes(kind.val.data, data)).toBe(true)
    expect(sameBytes(v3.encodeToClient(decoded), bytes)).toBe(true)
  })
})

describe.each(LIST_BOUNDARIES)("a list of %i entries", (length, prefix) => {
  const keys = Array.from({ length }, (_, i) => numberedKey(i))

  it("as the keys and values of a KvPutRequest: prefixed with its entry count, read back whole", () => {
    const message: v3.ToServer = {
      tag: "ToServerKvRequest",
      val: {
        actorId: "a",
        requestId: 7,
        data: { tag: "KvPutRequest", val: { keys, values: keys } },
      },
    }
    const bytes = v3.encodeToServer(message)
    // ToServer tag, actor id "a" (prefix and byte), requestId u32, KvPutRequest tag
    expect(bytesAt(bytes, 1 + 2 + 4 + 1, prefix.length)).toEqual(prefix)
    expect(comparable(v3.decodeToServer(bytes))).toStrictEqual(comparable(message))
  })

  it("as the three lists of a KvGetResponse: prefixed with its entry count, read back whole", () => {
    const metadata = keys.map((version, i) => ({ version, createTs: BigInt(i) - 1n }))
    const message: v3.ToClient = {
      tag: "ToClientKvResponse",
      val: { requestId: 7, data: { tag: "KvGetResponse", val: { keys, values: keys, metadata } } },
    }
    const bytes = v3.encodeToClient(message)
    // ToClient tag, requestId u32, KvGetResponse tag
    expect(bytesAt(bytes, 1 + 4 + 1, prefix.length)).toEqual(prefix)
    expect(comparable(v3.decodeToClient(bytes))).toStrictEqual(comparable(message))
  })
})

describe.each(LARGE_LIST_BOUNDARIES)("a list of %i entries", (length, prefix) => {
  it("as the keys of a KvDeleteRequest: prefixed with its entry count, read back whole", () => {
    const empty = new ArrayBuffer(0)
    const message: v3.ToServer = {
      tag: "ToServerKvRequest",
      val: {
        actorId: "a",
        requestId: 7,
        data: { tag: "KvDeleteRequest", val: { keys: Array.from({ length }, () => empty) } },
      },
    }
    const bytes = v3.encodeToServer(message)
    // ToServer tag, actor id "a" (prefix and byte), requestId u32, KvDeleteRequest tag
    expect(bytesAt(bytes, 1 + 2 + 4 + 1, prefix.length)).toEqual(prefix)
    expect(bytes.length).toBe(1 + 2 + 4 + 1 + prefix.length + length)
    const decoded = v3.decodeToServer(bytes)
    if (decoded.tag !== "ToServerKvRequest" || decoded.val.data.tag !== "KvDeleteRequest") {
      throw new Error(`decoded as ${decoded.tag}`)
    }
    const keys = decoded.val.data.val.keys
    expect(keys.length).toBe(length)
    expect(keys.every((key) => key.byteLength === 0)).toBe(true)
    expect(Buffer.from(v3.encodeToServer(decoded)).equals(Buffer.from(bytes))).toBe(true)
  })
})

describe("length prefixes", () => {
  it("count the UTF-8 bytes of a string, not its characters", () => {
    const message = kvDrop("é".repeat(64))
    const bytes = v3.encodeToServer(message)
    expect(bytesAt(bytes, 1, 2)).toEqual([0x80, 0x01])
    expect(v3.decodeToServer(bytes)).toStrictEqual(message)
  })
})

describe.each([0, 15, 17])("a 16-byte id given %i bytes", (length) => {
  const wrong = new Uint8Array(length).buffer

  it("is refused on encode as a RequestId, the error naming the type", () => {
    expectEncodeError(
      () => v3.encodeToClient(webSocketMessage(new ArrayBuffer(1), wrong)),
      "v3 ToClient at ToClient.val.requestId",
      "RequestId",
      length,
    )
  })

  it("is refused on encode as a MessageId, the error naming the type", () => {
    const gateway: v3.ToGateway = {
      message: {
        requestId: REQUEST_ID,
        messageId: wrong,
        messageKind: { tag: "TunnelAck", val: null },
      },
    }
    expectEncodeError(
      () => v3.encodeToGateway(gateway),
      "v3 ToGateway at ToGateway.message.messageId",
      "MessageId",
      length,
    )
  })
})

// v4–v7 read and write lengths with the same runtime; what moved is where they sit and the ids.
const GATEWAY_ID = new Uint8Array(4).fill(0x33).buffer
const SMALL_REQUEST_ID = new Uint8Array(4).fill(0x44).buffer

function v7WebSocketMessage(
  data: ArrayBuffer,
  gatewayId = GATEWAY_ID,
  requestId = SMALL_REQUEST_ID,
): v7.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: {
      messageId: { gatewayId, requestId, messageIndex: 3 },
      messageKind: { tag: "ToClientWebSocketMessage", val: { data, binary: true } },
    },
  }
}

describe.each(BOUNDARIES)("v7: a length of %i", (length, prefix) => {
  it("as WebSocket message data: written after a varint of its length, read back whole", () => {
    const data = payload(length)
    const bytes = v7.encodeToClient(v7WebSocketMessage(data))
    // ToClient tag, gatewayId, requestId, messageIndex u16, ToClientWebSocketMessage tag
    const prefixAt = 1 + 4 + 4 + 2 + 1
    expect(bytesAt(bytes, prefixAt, prefix.length)).toEqual(prefix)
    // only the binary bool follows the data
    expect(bytes.length).toBe(prefixAt + prefix.length + length + 1)
    const decoded = v7.decodeToClient(bytes)
    const kind = decoded.tag === "ToClientTunnelMessage" ? decoded.val.messageKind : undefined
    if (kind?.tag !== "ToClientWebSocketMessage") throw new Error(`decoded ${stringify(decoded)}`)
    expect(sameBytes(kind.val.data, data)).toBe(true)
    expect(sameBytes(v7.encodeToClient(decoded), bytes)).toBe(true)
  })
})

describe.each([0, 3, 5, 16])("v7: a 4-byte id given %i bytes", (length) => {
  const wrong = new Uint8Array(length).buffer

  it("is refused on encode as a GatewayId, the error naming the type", () => {
    expectEncodeError(
      () => v7.encodeToClient(v7WebSocketMessage(new ArrayBuffer(1), wrong)),
      "v7 ToClient at ToClient.val.messageId.gatewayId",
      "GatewayId",
      length,
      4,
    )
  })

  it("is refused on encode as a RequestId, the error naming the type", () => {
    expectEncodeError(
      () => v7.encodeToClient(v7WebSocketMessage(new ArrayBuffer(1), GATEWAY_ID, wrong)),
      "v7 ToClient at ToClient.val.messageId.requestId",
      "RequestId",
      length,
      4,
    )
  })
})

function expectEncodeError(
  encode: () => unknown,
  where: string,
  type: string,
  length: number,
  expected = 16,
): void {
  expect(encode).toThrow(EncodeError)
  expect(encode).toThrow(
    `cannot encode ${where}: expected data[${expected}] (${type}), got an ArrayBuffer of ${length} bytes`,
  )
}
