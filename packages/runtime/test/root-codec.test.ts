// The root encoder's two passes and the root decoder, driven by a hand-written codec of one
// small struct the way generated code drives them: the bytes written, and every refusal with
// what it says.
import * as bare from "@bare-ts/lib"
import { afterEach, describe, expect, it } from "vitest"
import type { SchemaDescriptor } from "../src/descriptor.js"
import { DecodeError, EncodeError } from "../src/errors.js"
import { decodeRoot, encodeRoot, encodeRootInto, writeValue } from "../src/root-codec.js"
import { readLengthPrefixedString, readU8 } from "../src/wire-read.js"
import { invalid, putString, sizeString } from "../src/wire-write.js"

//   type Pair struct { n: u8  text: str }
interface Pair {
  readonly n: number
  readonly text: string
}
const schema: SchemaDescriptor = {
  version: 3,
  roots: ["Pair"],
  types: {
    Pair: {
      kind: "struct",
      fields: [
        { name: "n", type: { kind: "u8" } },
        { name: "text", type: { kind: "str" } },
      ],
    },
  },
}
const sizePair = (pair: Pair): number => {
  if (!Number.isInteger(pair.n) || pair.n < 0 || pair.n > 0xff) invalid()
  return 1 + sizeString(pair.text)
}
const putPair = (bytes: Uint8Array, offset: number, pair: Pair): number => {
  bytes[offset] = pair.n
  return putString(bytes, offset + 1, pair.text)
}
const readPair = (bc: bare.ByteCursor): Pair => ({
  n: readU8(bc),
  text: readLengthPrefixedString(bc),
})

const encode = (value: Pair) => encodeRoot(sizePair, putPair, value, schema, "Pair")

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error("expected a throw")
}

describe("encodeRoot", () => {
  it("returns exactly the encoded bytes", () => {
    const bytes = encode({ n: 7, text: "hi" })
    expect([...bytes]).toEqual([7, 2, 0x68, 0x69])
    expect(bytes.buffer.byteLength).toBe(4)
  })

  it("refuses a value the size pass refuses with where and why, from the descriptor", () => {
    const value = { n: 300, text: "hi" }
    const error = thrown(() => encode(value))
    expect(error).toBeInstanceOf(EncodeError)
    expect(error).toMatchObject({
      message: "cannot encode v3 Pair at Pair.n: expected u8, got 300",
      type: "Pair",
      version: 3,
      path: "Pair.n",
      value: 300,
      reason: "expected u8, got 300",
    })
  })

  it("calls a refusal the descriptor finds nothing wrong with an invalid value", () => {
    const value = { n: 1, text: "ok" }
    const error = thrown(() => encodeRoot(() => invalid(), putPair, value, schema, "Pair"))
    expect(error).toMatchObject({
      message: "cannot encode v3 Pair: invalid value",
      path: "Pair",
      value,
      reason: "invalid value",
    })
    expect((error as Error).cause).toBeUndefined()
  })

  it("reports a value whose getter throws, with the error as its cause", () => {
    const boom = new Error("boom")
    const value = {
      n: 1,
      get text(): string {
        throw boom
      },
    }
    const error = thrown(() => encode(value))
    expect(error).toBeInstanceOf(EncodeError)
    expect(error).toMatchObject({
      message: "cannot encode v3 Pair: reading the value threw Error: boom",
      path: "Pair",
    })
    // Compared by identity: comparing its fields would call the throwing getter.
    expect((error as EncodeError).value).toBe(value)
    expect((error as EncodeError).cause).toBe(boom)
  })

  it("reports a size no array can have as an allocation failure, with the engine's error as cause", () => {
    const error = thrown(() =>
      encodeRoot(() => Number.MAX_SAFE_INTEGER, putPair, { n: 1, text: "" }, schema, "Pair"),
    )
    expect(error).toBeInstanceOf(EncodeError)
    expect(error).toMatchObject({
      message: `cannot encode v3 Pair: cannot allocate ${Number.MAX_SAFE_INTEGER} bytes`,
      type: "Pair",
      version: 3,
    })
    expect((error as Error).cause).toBeInstanceOf(RangeError)
  })

  it("refuses a value that measures one length and writes another", () => {
    let reads = 0
    const value = {
      n: 1,
      get text(): string {
        reads++
        return reads === 1 ? "a" : "abc"
      },
    }
    const error = thrown(() => encode(value))
    expect(error).toBeInstanceOf(EncodeError)
    expect(error).toMatchObject({
      message:
        "cannot encode v3 Pair: the value changed while it was encoded (3 bytes measured, 5 written)",
    })
    expect((error as EncodeError).value).toBe(value)
  })
})

describe("encodeRootInto", () => {
  it("writes from the target's first byte and returns the length written", () => {
    const target = new Uint8Array(6).fill(0xee)
    expect(encodeRootInto(sizePair, putPair, { n: 9, text: "ab" }, target, schema, "Pair")).toBe(4)
    expect([...target]).toEqual([9, 2, 0x61, 0x62, 0xee, 0xee])
  })

  it("fills a target of exactly the message's length", () => {
    const target = new Uint8Array(3)
    expect(encodeRootInto(sizePair, putPair, { n: 9, text: "a" }, target, schema, "Pair")).toBe(3)
    expect([...target]).toEqual([9, 1, 0x61])
  })

  it("refuses a message that does not fit before writing anything", () => {
    const target = new Uint8Array(3).fill(0xee)
    const error = thrown(() =>
      encodeRootInto(sizePair, putPair, { n: 9, text: "ab" }, target, schema, "Pair"),
    )
    expect(error).toBeInstanceOf(EncodeError)
    expect(error).toMatchObject({
      message: "cannot encode v3 Pair: needs 4 bytes, the target has 3",
      version: 3,
    })
    expect([...target]).toEqual([0xee, 0xee, 0xee])
  })

  it("refuses a wrong value with where and why", () => {
    const error = thrown(() =>
      encodeRootInto(sizePair, putPair, { n: -1, text: "" }, new Uint8Array(8), schema, "Pair"),
    )
    expect(error).toMatchObject({ path: "Pair.n", reason: "expected u8, got -1" })
  })

  it("refuses a value that changes between the passes", () => {
    let reads = 0
    const value = {
      n: 1,
      get text(): string {
        reads++
        return reads === 1 ? "abc" : "a"
      },
    }
    expect(() =>
      encodeRootInto(sizePair, putPair, value, new Uint8Array(8), schema, "Pair"),
    ).toThrow("the value changed while it was encoded (5 bytes measured, 3 written)")
  })
})

describe("writeValue", () => {
  const cursorOf = (length: number, maxBufferLength?: number) =>
    new bare.ByteCursor(
      new Uint8Array(length),
      bare.Config(
        maxBufferLength === undefined
          ? {}
          : { initialBufferLength: Math.min(length, maxBufferLength), maxBufferLength },
      ),
    )

  it("appends at the cursor's offset and moves the offset past what it wrote", () => {
    const bc = cursorOf(16)
    bc.offset = 2
    writeValue(bc, { n: 5, text: "xy" }, sizePair, putPair, schema, "Pair")
    expect(bc.offset).toBe(6)
    expect([...bc.bytes.subarray(0, 7)]).toEqual([0, 0, 5, 2, 0x78, 0x79, 0])
  })

  it("keeps the buffer when the value fits it exactly", () => {
    const bc = cursorOf(5)
    bc.offset = 1
    const before = bc.bytes
    writeValue(bc, { n: 5, text: "xy" }, sizePair, putPair, schema, "Pair")
    expect(bc.bytes).toBe(before)
    expect(bc.offset).toBe(5)
  })

  it("grows a short buffer to twice what it needs, keeping what was written", () => {
    const bc = cursorOf(3)
    bc.bytes.set([0xa, 0xb, 0xc])
    bc.offset = 3
    writeValue(bc, { n: 5, text: "xy" }, sizePair, putPair, schema, "Pair")
    expect(bc.bytes.length).toBe(14)
    expect([...bc.bytes.subarray(0, 7)]).toEqual([0xa, 0xb, 0xc, 5, 2, 0x78, 0x79])
    expect(bc.view.buffer).toBe(bc.bytes.buffer)
    expect(bc.view.byteLength).toBe(14)
    expect(bc.offset).toBe(7)
  })

  it("grows no further than the cursor's maxBufferLength, which it may reach", () => {
    const bc = cursorOf(2, 6)
    bc.offset = 2
    writeValue(bc, { n: 5, text: "ab" }, sizePair, putPair, schema, "Pair")
    expect(bc.bytes.length).toBe(6)
    expect([...bc.bytes]).toEqual([0, 0, 5, 2, 0x61, 0x62])
  })

  it("refuses a value that would grow the buffer past maxBufferLength, writing nothing", () => {
    const bc = cursorOf(2, 6)
    bc.offset = 2
    const before = bc.bytes
    const error = thrown(() =>
      writeValue(bc, { n: 5, text: "abc" }, sizePair, putPair, schema, "Pair"),
    )
    expect(error).toBeInstanceOf(EncodeError)
    expect(error).toMatchObject({
      message: "cannot encode v3 Pair: needs 7 bytes, more than the cursor's maxBufferLength",
    })
    expect(bc.bytes).toBe(before)
    expect(bc.offset).toBe(2)
  })

  it("refuses a wrong value with where and why, leaving the offset", () => {
    const bc = cursorOf(8)
    bc.offset = 1
    expect(() => writeValue(bc, { n: 256, text: "" }, sizePair, putPair, schema, "Pair")).toThrow(
      "cannot encode v3 Pair at Pair.n: expected u8, got 256",
    )
    expect(bc.offset).toBe(1)
  })

  it("refuses a value that changes between the passes", () => {
    let reads = 0
    const value = {
      n: 1,
      get text(): string {
        reads++
        return reads === 1 ? "a" : "abc"
      },
    }
    const bc = cursorOf(16)
    bc.offset = 4
    expect(() => writeValue(bc, value, sizePair, putPair, schema, "Pair")).toThrow(
      "the value changed while it was encoded (3 bytes measured, 5 written)",
    )
  })
})

describe("decodeRoot", () => {
  const decode = (bytes: Uint8Array | ArrayBuffer | DataView) =>
    decodeRoot(readPair, bytes, "Pair", 3)
  const stackTraceLimit = Error.stackTraceLimit
  afterEach(() => {
    Error.stackTraceLimit = stackTraceLimit
  })

  it("reads a whole message", () => {
    expect(decode(new Uint8Array([7, 2, 0x68, 0x69]))).toEqual({ n: 7, text: "hi" })
  })

  it("reads exactly the bytes a view covers", () => {
    const buffer = new Uint8Array([0xff, 7, 1, 0x61, 0xff]).buffer
    expect(decode(new DataView(buffer, 1, 3))).toEqual({ n: 7, text: "a" })
    expect(decode(new Uint8Array([7, 0]).buffer)).toEqual({ n: 7, text: "" })
  })

  it("refuses trailing bytes, at the first of them", () => {
    const error = thrown(() => decode(new Uint8Array([7, 1, 0x61, 0, 0])))
    expect(error).toBeInstanceOf(DecodeError)
    expect(error).toMatchObject({
      message: "cannot decode v3 Pair: 2 trailing bytes at byte 3",
      type: "Pair",
      version: 3,
      offset: 3,
      reason: "2 trailing bytes",
    })
  })

  it("turns a reader's refusal into a DecodeError at the reader's offset", () => {
    const error = thrown(() => decode(new Uint8Array([7, 3, 0x61])))
    expect(error).toBeInstanceOf(DecodeError)
    expect(error).toMatchObject({ offset: 2, reason: "missing bytes" })
  })

  it("lets an error that is not a decoding refusal through as it is", () => {
    const bug = new TypeError("a bug in a reader")
    const error = thrown(() =>
      decodeRoot(
        () => {
          throw bug
        },
        new Uint8Array(1),
        "Pair",
        3,
      ),
    )
    expect(error).toBe(bug)
  })

  it("refuses input longer than the readers' maxBufferLength before reading it", () => {
    const tooLong = new Uint8Array(bare.Config({}).maxBufferLength + 1)
    let read = false
    const error = thrown(() =>
      decodeRoot(
        (bc) => {
          read = true
          return readU8(bc)
        },
        tooLong,
        "Pair",
        3,
      ),
    )
    expect(error).toMatchObject({ offset: 0, reason: "too large buffer" })
    expect(read).toBe(false)
  })

  it("reads input of exactly the readers' maxBufferLength", () => {
    const longest = new Uint8Array(bare.Config({}).maxBufferLength)
    const readAll = (bc: bare.ByteCursor) => {
      bc.offset = bc.bytes.length
      return bc.bytes.length
    }
    expect(decodeRoot(readAll, longest, "Pair", 3)).toBe(longest.length)
  })

  it("builds its refusal without a stack, and leaves the stack depth as it was", () => {
    Error.stackTraceLimit = 7
    const error = thrown(() => decode(new Uint8Array([7]))) as DecodeError
    expect(error.stack).not.toMatch(/\n\s+at /)
    expect(Error.stackTraceLimit).toBe(7)
    decode(new Uint8Array([7, 0]))
    expect(Error.stackTraceLimit).toBe(7)
  })
})
