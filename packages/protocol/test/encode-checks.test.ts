import { describe, expect, it } from "vitest"
import { EncodeError, stringify, v3 } from "../src/index.js"

const id = new Uint8Array(16).fill(1).buffer

function kvRequest(actorId: string, requestId: number): v3.ToServer {
  return {
    tag: "ToServerKvRequest",
    val: { actorId, requestId, data: { tag: "KvDropRequest", val: null } },
  }
}

function wsMessage(index: number): v3.ToClient {
  return {
    tag: "ToClientTunnelMessage",
    val: {
      requestId: id,
      messageId: id,
      gatewayReplyTo: null,
      messageKind: {
        tag: "ToClientWebSocketMessage",
        val: { index, data: new ArrayBuffer(1), binary: true },
      },
    },
  }
}

function encodeError(encode: () => unknown): EncodeError {
  try {
    encode()
  } catch (error) {
    if (error instanceof EncodeError) return error
    throw error
  }
  throw new Error("expected an EncodeError")
}

describe("encoding refuses values the wire type cannot hold, naming the field", () => {
  it.each([-1, 1.5, 0x1_0000_0000, Number.NaN])("u32 %s", (requestId) => {
    const error = encodeError(() => v3.encodeToServer(kvRequest("a", requestId)))
    expect(error.message).toBe(
      `cannot encode v3 ToServer (ToServerKvRequest.requestId): ${requestId} is not a u32`,
    )
  })

  it.each([65_536, -1])("u16 message index %s", (index) => {
    const error = encodeError(() => v3.encodeToClient(wsMessage(index)))
    expect(error.message).toContain(`(ToClientWebSocketMessage.index): ${index} is not a u16`)
  })

  it("keeps the u16 bounds themselves", () => {
    expect(v3.decodeToClient(v3.encodeToClient(wsMessage(65_535)))).toEqual(wsMessage(65_535))
  })

  it("an i64 beyond 64 bits", () => {
    const error = encodeError(() =>
      v3.encodeToServer({ tag: "ToServerPing", val: { ts: 2n ** 63n } }),
    )
    expect(error.message).toContain("(ToServerPing.ts): 9223372036854775808 is not an i64 bigint")
  })

  it.each([1, 300])(
    "a string of %i characters with a lone surrogate, which UTF-8 cannot carry",
    (length) => {
      const actorId = `${"a".repeat(length - 1)}\ud800`
      const error = encodeError(() => v3.encodeToServer(kvRequest(actorId, 1)))
      expect(error.message).toBe(
        "cannot encode v3 ToServer (Id): the string has a lone surrogate, which UTF-8 cannot carry",
      )
    },
  )

  it("accepts a well-formed pair of surrogates", () => {
    const message = kvRequest("actor 😀", 1)
    expect(v3.decodeToServer(v3.encodeToServer(message))).toEqual(message)
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
