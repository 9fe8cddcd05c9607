import { Buffer } from "node:buffer"
import { describe, expect, it } from "vitest"
import { EncodeError, stringify, v3 } from "../src/index.js"

const id = new Uint8Array(16).fill(1).buffer

function kvRequest(actorId: string, requestId: number): v3.ToServer {
  return {
    tag: "ToServerKvRequest",
    val: { actorId, requestId, data: { tag: "KvDropRequest", val: null } },
  }
}

function wsMessage(index: number, data: ArrayBuffer = new ArrayBuffer(1)): v3.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: {
      requestId: id,
      messageId: id,
      gatewayReplyTo: null,
      messageKind: { tag: "ToClientWebSocketMessage", val: { index, data, binary: true } },
    },
  }
}

function stopped(code: unknown): v3.ToServer {
  return {
    tag: "ToServerEvents",
    val: [
      {
        index: 1n,
        inner: {
          tag: "EventActorStateUpdate",
          val: {
            actorId: "a",
            generation: 1,
            state: { tag: "ActorStateStopped", val: { code: code as v3.StopCode, message: null } },
          },
        },
      },
    ],
  }
}

function requestStart(headers: unknown, body: unknown): v3.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: {
      requestId: id,
      messageId: id,
      gatewayReplyTo: null,
      messageKind: {
        tag: "ToClientRequestStart",
        val: {
          actorId: "a",
          method: "GET",
          path: "/",
          headers: headers as ReadonlyMap<string, string>,
          body: body as ArrayBuffer | null,
          stream: false,
        },
      },
    },
  }
}

/** A message with a wrong value forced in where TypeScript would refuse it. */
function forced<T>(value: unknown): T {
  return value as T
}

function encodeError(encode: () => unknown): EncodeError {
  try {
    encode()
  } catch (error) {
    if (error instanceof EncodeError) return error
    throw error
  }
  throw new Error("expected an EncodeError, got bytes")
}

const KIND = "ToClient.val.messageKind"

describe("encoding refuses values the wire type cannot hold, naming the field", () => {
  it.each([-1, 1.5, 0x1_0000_0000, Number.NaN])("u32 %s", (requestId) => {
    const error = encodeError(() => v3.encodeToServer(kvRequest("a", requestId)))
    expect(error.message).toBe(
      `cannot encode v3 ToServer at ToServer.val.requestId: expected u32, got ${requestId}`,
    )
    expect(error).toMatchObject({ type: "ToServer", version: 3, path: "ToServer.val.requestId" })
    expect(error.value).toBe(requestId)
  })

  it.each([65_536, -1])("u16 message index %s", (index) => {
    const error = encodeError(() => v3.encodeToClient(wsMessage(index)))
    expect(error.message).toBe(
      `cannot encode v3 ToClient at ${KIND}.val.index: expected u16, got ${index}`,
    )
  })

  it("keeps the u16 bounds themselves", () => {
    expect(v3.decodeToClient(v3.encodeToClient(wsMessage(65_535)))).toEqual(wsMessage(65_535))
  })

  it("an i64 beyond 64 bits", () => {
    const error = encodeError(() =>
      v3.encodeToServer({ tag: "ToServerPing", val: { ts: 2n ** 63n } }),
    )
    expect(error.message).toBe(
      "cannot encode v3 ToServer at ToServer.val.ts: expected i64, got 9223372036854775808n",
    )
  })

  it.each([1, 300])(
    "a string of %i characters with a lone surrogate, which UTF-8 cannot carry",
    (length) => {
      const actorId = `${"a".repeat(length - 1)}\ud800`
      const error = encodeError(() => v3.encodeToServer(kvRequest(actorId, 1)))
      expect(error.path).toBe("ToServer.val.actorId")
      expect(error.value).toBe(actorId)
      expect(error.reason).toMatch(
        /^expected str \(Id\), got ".*" .*\(a lone surrogate, which UTF-8 cannot carry\)$/,
      )
    },
  )

  it("accepts a well-formed pair of surrogates", () => {
    const message = kvRequest("actor 😀", 1)
    expect(v3.decodeToServer(v3.encodeToServer(message))).toEqual(message)
  })
})

describe("encoding refuses wrong JavaScript values instead of writing a corrupt frame", () => {
  const PATH = "ToServer.val[0].inner.val.state.val.code"

  it.each<[string, () => unknown, string, unknown, string]>([
    [
      "an enum value in the schema's spelling instead of the TypeScript one",
      () => v3.encodeToServer(stopped("OK")),
      PATH,
      "OK",
      'expected StopCode ("Ok", "Error"), got "OK"',
    ],
    [
      "an enum value of the wrong type",
      () => v3.encodeToServer(stopped(0)),
      PATH,
      0,
      'expected StopCode ("Ok", "Error"), got 0',
    ],
    [
      "an unknown union tag",
      () =>
        v3.encodeToClient(
          forced({ ...wsMessage(1), val: { ...wsMessage(1).val, messageKind: { tag: "Nope" } } }),
        ),
      `${KIND}.tag`,
      "Nope",
      "expected a tag of ToClientTunnelMessageKind (TunnelAck, ToClientRequestStart, " +
        "ToClientRequestChunk, ToClientRequestAbort, ToClientWebSocketOpen, " +
        'ToClientWebSocketMessage, ToClientWebSocketClose), got "Nope"',
    ],
    [
      "an unknown root tag",
      () => v3.encodeToServer(forced({ tag: "ToServerPong", val: null })),
      "ToServer.tag",
      "ToServerPong",
      expect.stringMatching(
        /^expected a tag of ToServer \(ToServerInit, .*\), got "ToServerPong"$/,
      ),
    ],
    [
      "a root that is not an object",
      () => v3.encodeToServer(forced("ToServerPing")),
      "ToServer",
      "ToServerPing",
      expect.stringMatching(/^expected ToServer \(.*\), got "ToServerPing"$/),
    ],
    [
      "a string for data",
      () => v3.encodeToClient(wsMessage(1, forced("hi"))),
      `${KIND}.val.data`,
      "hi",
      'expected data, got "hi"',
    ],
    [
      "a number for a string",
      () => v3.encodeToServer(kvRequest(forced(42), 1)),
      "ToServer.val.actorId",
      42,
      "expected str (Id), got 42",
    ],
    [
      "a bigint for a u32",
      () => v3.encodeToServer(kvRequest("a", forced(1n))),
      "ToServer.val.requestId",
      1n,
      "expected u32, got 1n",
    ],
    [
      "a string holding a number for a u32",
      () => v3.encodeToServer(kvRequest("a", forced("1"))),
      "ToServer.val.requestId",
      "1",
      'expected u32, got "1"',
    ],
    [
      "a number for an i64",
      () => v3.encodeToServer({ tag: "ToServerPing", val: { ts: forced(5) } }),
      "ToServer.val.ts",
      5,
      "expected i64, got 5",
    ],
    [
      "1 for a bool",
      () =>
        v3.encodeToClient(
          forced({
            ...wsMessage(1),
            val: {
              ...wsMessage(1).val,
              messageKind: {
                tag: "ToClientWebSocketMessage",
                val: { index: 1, data: id, binary: 1 },
              },
            },
          }),
        ),
      `${KIND}.val.binary`,
      1,
      "expected bool, got 1",
    ],
    [
      "a plain object for a map",
      () => v3.encodeToClient(requestStart({ host: "a" }, null)),
      `${KIND}.val.headers`,
      { host: "a" },
      "expected map<str><str>, got an object",
    ],
    [
      "a number among a map's values",
      () => v3.encodeToClient(requestStart(new Map([["host", 1]]), null)),
      `${KIND}.val.headers.get("host")`,
      1,
      "expected str, got 1",
    ],
    [
      "a number as a map's key",
      () => v3.encodeToClient(requestStart(new Map([[1, "a"]]), null)),
      `${KIND}.val.headers.get(1) (key)`,
      1,
      "expected str, got 1",
    ],
    [
      "undefined for an optional, which takes null",
      () => v3.encodeToClient(requestStart(new Map(), undefined)),
      `${KIND}.val.body`,
      undefined,
      "expected optional<data>, got undefined",
    ],
    [
      "a struct missing a field",
      () => v3.encodeToServer(forced({ tag: "ToServerKvRequest", val: { actorId: "a" } })),
      "ToServer.val.requestId",
      undefined,
      "expected u32, got undefined",
    ],
    [
      "a string for a list",
      () => v3.encodeToClient(startActor(forced("ids"))),
      "ToClient.val[0].inner.val.hibernatingRequestIds",
      "ids",
      'expected list<data>, got "ids"',
    ],
    [
      "a wrong value inside a list",
      () => v3.encodeToClient(startActor(forced([id, null]))),
      "ToClient.val[0].inner.val.hibernatingRequestIds[1]",
      null,
      "expected data, got null",
    ],
    [
      "a value for a void union member",
      () => v3.encodeToServer(forced({ tag: "ToServerStopping", val: 7 })),
      "ToServer.val",
      7,
      "expected void (ToServerStopping), got 7",
    ],
  ])("%s", (_name, encode, path, value, reason) => {
    const error = encodeError(encode)
    expect(error.path).toBe(path)
    expect(error.value).toStrictEqual(value)
    expect(error.reason).toEqual(reason)
    const where = path === error.type ? "" : ` at ${path}`
    expect(error.message).toBe(`cannot encode v3 ${error.type}${where}: ${error.reason}`)
  })

  it("refuses before writing anything into the caller's buffer", () => {
    const target = new Uint8Array(64).fill(0xee)
    expect(() => v3.encodeToClientInto(wsMessage(1, forced("hi")), target)).toThrow(EncodeError)
    expect(target.every((byte) => byte === 0xee)).toBe(true)
  })

  it("refuses a message that does not fit the caller's buffer before writing", () => {
    const target = new Uint8Array(8).fill(0xee)
    const error = encodeError(() => v3.encodeToClientInto(wsMessage(1), target))
    expect(error.reason).toBe("needs 40 bytes, the target has 8")
    expect(target.every((byte) => byte === 0xee)).toBe(true)
  })

  it("names the value's path from the written type with the low-level writer too", () => {
    const bc = new (class {
      bytes = new Uint8Array(0)
      offset = 0
      view = new DataView(this.bytes.buffer)
      config = { maxBufferLength: 1024 }
    })()
    const error = encodeError(() =>
      v3.writeToClientWebSocketMessage(forced(bc), forced({ index: 1, data: 2, binary: true })),
    )
    expect(error.path).toBe("ToClientWebSocketMessage.data")
    expect(bc.offset).toBe(0)
  })
})

function startActor(hibernatingRequestIds: readonly ArrayBuffer[]): v3.ToClient {
  return {
    tag: "ToClientCommands",
    val: [
      {
        index: 1n,
        inner: {
          tag: "CommandStartActor",
          val: {
            actorId: "a",
            generation: 1,
            config: { name: "n", key: null, createTs: 0n, input: null },
            hibernatingRequestIds,
          },
        },
      },
    ],
  }
}

describe("data fields take byte views and encode exactly the viewed bytes", () => {
  const hello = new TextEncoder().encode("hello")
  const expected = v3.encodeToClient(wsMessage(1, hello.buffer))

  it("a pooled Node Buffer, whose ArrayBuffer is the whole shared pool", () => {
    const pooled = Buffer.from("hello")
    expect(pooled.buffer.byteLength).toBeGreaterThan(5)
    const bytes = v3.encodeToClient(wsMessage(1, forced(pooled)))
    expect(bytes).toEqual(expected)
    const decoded = v3.decodeToClient(bytes)
    if (decoded.tag !== "ToClientTunnelMessage") throw new Error(decoded.tag)
    const kind = decoded.val.messageKind
    if (kind.tag !== "ToClientWebSocketMessage") throw new Error(kind.tag)
    expect(Buffer.from(kind.val.data).toString()).toBe("hello")
  })

  it("a Uint8Array over the middle of a larger buffer, and a DataView", () => {
    const big = new Uint8Array(32)
    big.set(hello, 9)
    expect(v3.encodeToClient(wsMessage(1, forced(big.subarray(9, 14))))).toEqual(expected)
    expect(v3.encodeToClient(wsMessage(1, forced(new DataView(big.buffer, 9, 5))))).toEqual(
      expected,
    )
  })

  it("a 16-byte id as a view into a pool", () => {
    const pooled = Buffer.from(new Uint8Array(16).fill(1))
    expect(pooled.buffer.byteLength).toBeGreaterThan(16)
    const message = wsMessage(1, hello.buffer)
    const viaView = { ...message, val: { ...message.val, requestId: forced(pooled) } }
    expect(v3.encodeToClient(forced(viaView))).toEqual(expected)
  })
})

describe("stringify stays on one line", () => {
  it("escapes NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR as JSON escapes", () => {
    const text = stringify(kvRequest("a\u0085b\u2028c\u2029d\ne", 1))
    expect(text).toBe(
      'ToServerKvRequest{actorId: "a\\u0085b\\u2028c\\u2029d\\ne", requestId: 1, data: KvDropRequest}',
    )
  })
})
