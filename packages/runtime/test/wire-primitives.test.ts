// The primitive readers and writers generated codecs call, each against an independent
// reference (DataView, TextEncoder, LEB128 written out by hand) at its boundaries.
import * as bare from "@bare-ts/lib"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  lendFixedData,
  readBool,
  readCollectionLength,
  readF32,
  readF64,
  readFixedData,
  readI8,
  readI16,
  readI32,
  readI64,
  readLengthPrefixedData,
  readLengthPrefixedString,
  readU8,
  readU16,
  readU32,
  readU64,
} from "../src/wire-read.js"
import {
  INVALID,
  putData,
  putF32,
  putF64,
  putFixedData,
  putI64,
  putString,
  putU64,
  putVarint,
  sizeData,
  sizeFixedData,
  sizeI64,
  sizeString,
  sizeU64,
  utf8Length,
  varintSize,
} from "../src/wire-write.js"

const cursor = (...bytes: number[]): bare.ByteCursor =>
  new bare.ByteCursor(new Uint8Array(bytes), bare.Config({}))

/** LEB128 of a non-negative integer, computed with bigints. */
function leb128(value: number): number[] {
  const out: number[] = []
  let rest = BigInt(value)
  while (rest > 0x7fn) {
    out.push(Number(rest & 0x7fn) | 0x80)
    rest >>= 7n
  }
  out.push(Number(rest))
  return out
}

function errorOf(run: () => unknown): bare.BareError {
  try {
    run()
  } catch (error) {
    if (error instanceof bare.BareError) return error
    throw error
  }
  throw new Error("read without an error")
}

const refused = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    return error === INVALID
  }
  return false
}

describe("length prefixes", () => {
  const boundaries = [
    0,
    1,
    0x7f,
    0x80,
    0x3fff,
    0x4000,
    0x1f_ffff,
    0x20_0000,
    0xfff_ffff,
    0x1000_0000,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    2 ** 35 - 1,
    2 ** 35,
    2 ** 42 - 1,
    2 ** 42,
    2 ** 49,
    2 ** 53 - 1,
  ]

  it.each(boundaries)("%i is written as LEB128 in exactly varintSize bytes", (value) => {
    const bytes = new Uint8Array(10)
    const end = putVarint(bytes, 1, value)
    expect([...bytes.subarray(1, end)]).toEqual(leb128(value))
    expect(varintSize(value)).toBe(leb128(value).length)
  })
})

describe("strings", () => {
  const texts = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 80 }),
    fc.string({ maxLength: 200 }),
  )

  it("measure what TextEncoder writes, and are written as a prefix and those bytes", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const utf8 = new TextEncoder().encode(text)
        expect(utf8Length(text)).toBe(utf8.length)
        expect(sizeString(text)).toBe(leb128(utf8.length).length + utf8.length)
        const bytes = new Uint8Array(sizeString(text) + 2)
        expect(putString(bytes, 1, text)).toBe(1 + sizeString(text))
        expect([...bytes.subarray(1, 1 + sizeString(text))]).toEqual([
          ...leb128(utf8.length),
          ...utf8,
        ])
      }),
    )
  })

  it.each([
    ["a two-byte character", "é"],
    ["a three-byte character", "€"],
    ["a surrogate pair", "😀"],
    ["the last three-byte character", "\uffff"],
    ["a string of 43 units that needs a two-byte prefix", "€".repeat(43)],
    ["a string past the encoder threshold", "ü".repeat(40)],
  ])("round-trip %s", (_name, text) => {
    const bytes = new Uint8Array(sizeString(text))
    putString(bytes, 0, text)
    expect(bytes).toEqual(
      Uint8Array.of(...leb128(utf8Length(text)), ...new TextEncoder().encode(text)),
    )
    const bc = new bare.ByteCursor(bytes, bare.Config({}))
    expect(readLengthPrefixedString(bc)).toBe(text)
    expect(bc.offset).toBe(bytes.length)
  })

  it("refuse lone surrogates, which UTF-8 cannot carry", () => {
    for (const text of ["\ud800", "a\ud800b", "\udc00", "x\udfff", "\ud83d\ud83d"]) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(-1)
      expect(
        refused(() => sizeString(text)),
        JSON.stringify(text),
      ).toBe(true)
    }
    expect(refused(() => sizeString(1))).toBe(true)
  })

  it("read invalid UTF-8 as an error where the string starts, and keep a leading BOM", () => {
    expect(errorOf(() => readLengthPrefixedString(cursor(2, 0xc3, 0x28)))).toMatchObject({
      offset: 1,
      issue: "invalid UTF-8 string",
    })
    expect(errorOf(() => readLengthPrefixedString(cursor(3, 0x61)))).toMatchObject({
      offset: 1,
      issue: "missing bytes",
    })
    expect(readLengthPrefixedString(cursor(3, 0xef, 0xbb, 0xbf))).toBe("\ufeff")
    const long = new TextEncoder().encode(`${"a".repeat(20)}é`)
    expect(readLengthPrefixedString(cursor(long.length, ...long))).toBe(`${"a".repeat(20)}é`)
  })
})

describe("fixed-width numbers", () => {
  const reference = (size: number, write: (view: DataView) => void) => {
    const view = new DataView(new ArrayBuffer(size))
    write(view)
    return [...new Uint8Array(view.buffer)]
  }

  it("read as DataView reads them, little-endian, advancing by their width", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (input) => {
        const view = new DataView(input.buffer)
        const at = () => new bare.ByteCursor(input, bare.Config({}))
        const check = <T>(read: (bc: bare.ByteCursor) => T, expected: T, width: number) => {
          const bc = at()
          expect(Object.is(read(bc), expected) || read(at()) === expected).toBe(true)
          expect(bc.offset).toBe(width)
        }
        check(readU8, view.getUint8(0), 1)
        check(readI8, view.getInt8(0), 1)
        check(readU16, view.getUint16(0, true), 2)
        check(readI16, view.getInt16(0, true), 2)
        check(readU32, view.getUint32(0, true), 4)
        check(readI32, view.getInt32(0, true), 4)
        check(readU64, view.getBigUint64(0, true), 8)
        check(readI64, view.getBigInt64(0, true), 8)
        const f32 = readF32(at())
        expect(
          Number.isNaN(f32)
            ? Number.isNaN(view.getFloat32(0, true))
            : f32 === view.getFloat32(0, true),
        ).toBe(true)
        const f64 = readF64(at())
        expect(
          Number.isNaN(f64)
            ? Number.isNaN(view.getFloat64(0, true))
            : f64 === view.getFloat64(0, true),
        ).toBe(true)
      }),
    )
  })

  it("write as DataView writes them", () => {
    const bytes = new Uint8Array(9)
    expect(putU64(bytes, 1, 0x0102_0304_0506_0708n)).toBe(9)
    expect([...bytes.subarray(1)]).toEqual(
      reference(8, (v) => v.setBigUint64(0, 0x0102_0304_0506_0708n, true)),
    )
    expect(putI64(bytes, 1, -2n)).toBe(9)
    expect([...bytes.subarray(1)]).toEqual(reference(8, (v) => v.setBigInt64(0, -2n, true)))
    expect(putF32(bytes, 1, 1.5)).toBe(5)
    expect([...bytes.subarray(1, 5)]).toEqual(reference(4, (v) => v.setFloat32(0, 1.5, true)))
    expect(putF64(bytes, 1, -0.1)).toBe(9)
    expect([...bytes.subarray(1)]).toEqual(reference(8, (v) => v.setFloat64(0, -0.1, true)))
  })

  it("refuse to read past the end, at the offset they start", () => {
    expect(errorOf(() => readU16(cursor(1)))).toMatchObject({ offset: 0, issue: "missing bytes" })
    const bc = cursor(1, 2, 3)
    readU8(bc)
    expect(errorOf(() => readI32(bc))).toMatchObject({ offset: 1, issue: "missing bytes" })
    expect(errorOf(() => readU64(cursor(1, 2, 3, 4, 5, 6, 7)))).toMatchObject({ offset: 0 })
  })

  it("64-bit sizes take their whole range and refuse one past it or a number", () => {
    expect(sizeU64(0n)).toBe(8)
    expect(sizeU64(2n ** 64n - 1n)).toBe(8)
    expect(sizeI64(-(2n ** 63n))).toBe(8)
    expect(sizeI64(2n ** 63n - 1n)).toBe(8)
    expect(refused(() => sizeU64(-1n))).toBe(true)
    expect(refused(() => sizeU64(2n ** 64n))).toBe(true)
    expect(refused(() => sizeU64(1))).toBe(true)
    expect(refused(() => sizeI64(-(2n ** 63n) - 1n))).toBe(true)
    expect(refused(() => sizeI64(2n ** 63n))).toBe(true)
    expect(refused(() => sizeI64(1))).toBe(true)
  })
})

describe("bools", () => {
  it("read 0 and 1 and refuse any other byte where it stands", () => {
    expect(readBool(cursor(0))).toBe(false)
    expect(readBool(cursor(1))).toBe(true)
    const bc = cursor(1, 2)
    readBool(bc)
    expect(errorOf(() => readBool(bc))).toMatchObject({
      offset: 1,
      issue: "a bool must be equal to 0 or 1",
    })
    expect(bc.offset).toBe(1)
  })
})

describe("data", () => {
  it("measures and writes exactly the viewed bytes with their length prefix", () => {
    const pool = new Uint8Array(200).map((_, i) => i)
    for (const length of [0, 3, 47, 48, 130]) {
      const view = pool.subarray(5, 5 + length)
      expect(sizeData(view)).toBe(leb128(length).length + length)
      expect(sizeData(view.slice().buffer)).toBe(leb128(length).length + length)
      const bytes = new Uint8Array(sizeData(view))
      expect(putData(bytes, 0, view as unknown as ArrayBuffer)).toBe(bytes.length)
      expect([...bytes]).toEqual([...leb128(length), ...view])
      const bc = new bare.ByteCursor(bytes, bare.Config({}))
      expect(new Uint8Array(readLengthPrefixedData(bc))).toEqual(view)
      expect(bc.offset).toBe(bytes.length)
    }
  })

  it("refuses what is not bytes, and fixed data of another length", () => {
    expect(refused(() => sizeData("ab"))).toBe(true)
    expect(refused(() => sizeData([1, 2]))).toBe(true)
    expect(sizeFixedData(new Uint8Array(16), 16)).toBe(16)
    expect(refused(() => sizeFixedData(new Uint8Array(15), 16))).toBe(true)
  })

  it("reads fixed data as a copy of its own, and refuses it past the end", () => {
    const input = new Uint8Array([9, 1, 2, 3])
    const bc = new bare.ByteCursor(input, bare.Config({}))
    readU8(bc)
    const read = readFixedData(bc, 3)
    expect([...new Uint8Array(read)]).toEqual([1, 2, 3])
    expect(read.byteLength).toBe(3)
    expect(bc.offset).toBe(4)
    expect(errorOf(() => readFixedData(cursor(1, 2), 3))).toMatchObject({
      offset: 0,
      issue: "missing bytes",
    })
  })

  it("lend fixed data as a view of the input, refusing missing bytes where they start", () => {
    const input = new Uint8Array([9, 1, 2, 3])
    const bc = new bare.ByteCursor(input, bare.Config({}))
    readU8(bc)
    const lent = lendFixedData(bc, 3)
    expect([...lent]).toEqual([1, 2, 3])
    expect(lent.buffer).toBe(input.buffer)
    expect(lent.byteOffset).toBe(1)
    expect(bc.offset).toBe(4)
    expect(errorOf(() => lendFixedData(cursor(1, 2), 3))).toMatchObject({
      offset: 0,
      issue: "missing bytes",
    })
  })
})

describe("collection lengths", () => {
  it("accept a count whose entries fit the bytes left at their minimum size", () => {
    const bc = cursor(3, 0, 0, 0, 0, 0, 0)
    expect(readCollectionLength(bc, 2)).toBe(3)
    expect(bc.offset).toBe(1)
  })

  it("refuse a count whose entries cannot fit, at the count, without moving", () => {
    const bc = cursor(3, 0, 0, 0, 0, 0)
    expect(errorOf(() => readCollectionLength(bc, 2))).toMatchObject({
      offset: 0,
      issue: "collection of 3 entries exceeds the remaining input",
    })
    expect(bc.offset).toBe(0)
  })

  it("read a multi-byte count", () => {
    const bc = cursor(0x80, 0x01, ...new Array(128).fill(0))
    expect(readCollectionLength(bc, 1)).toBe(128)
    expect(bc.offset).toBe(2)
  })

  it("bound a count of zero-size entries by the buffer limit only", () => {
    expect(readCollectionLength(cursor(...leb128(1000)), 0)).toBe(1000)
  })

  it("refuse a non-canonical count where it starts", () => {
    const bc = cursor(0, 0x80, 0x00)
    readU8(bc)
    expect(errorOf(() => readCollectionLength(bc, 1))).toMatchObject({ offset: 1 })
    expect(bc.offset).toBe(1)
  })
})

describe("boundaries the fast paths must agree on", () => {
  it("read a short ASCII string at the very start of the input", () => {
    const bc = cursor(2, 0x68, 0x69)
    expect(readLengthPrefixedString(bc)).toBe("hi")
    expect(bc.offset).toBe(3)
  })

  it("refuse a short string holding a lone continuation byte 0x80", () => {
    expect(errorOf(() => readLengthPrefixedString(cursor(2, 0x61, 0x80)))).toMatchObject({
      offset: 1,
      issue: "invalid UTF-8 string",
    })
  })

  it("read a string of 128 bytes behind its two-byte length prefix", () => {
    const text = "s".repeat(127) + "!"
    const bc = cursor(0x80, 0x01, ...new TextEncoder().encode(text))
    expect(readLengthPrefixedString(bc)).toBe(text)
    expect(bc.offset).toBe(130)
  })

  it("refuse a length prefix that is cut short or missing, where it starts", () => {
    expect(errorOf(() => readLengthPrefixedString(cursor()))).toMatchObject({
      offset: 0,
      issue: "missing bytes",
    })
    expect(errorOf(() => readLengthPrefixedData(cursor()))).toMatchObject({ offset: 0 })
    const bc = cursor(0, 0x80)
    readU8(bc)
    const error = errorOf(() => readLengthPrefixedData(bc))
    expect(error).toMatchObject({ offset: 1 })
    expect(bc.offset).toBe(1)
    // bare-ts's own error, with its own offset, is kept as the cause.
    expect(error.cause).toBeInstanceOf(bare.BareError)
  })

  it("refuse a collection count that is missing", () => {
    expect(errorOf(() => readCollectionLength(cursor(), 1))).toMatchObject({
      offset: 0,
      issue: "missing bytes",
    })
  })

  it("bound a count of zero-size entries by the readers' maxBufferLength, inclusive", () => {
    const max = bare.Config({}).maxBufferLength
    expect(readCollectionLength(cursor(...leb128(max)), 0)).toBe(max)
    expect(errorOf(() => readCollectionLength(cursor(...leb128(max + 1)), 0))).toMatchObject({
      offset: 0,
      issue: `collection of ${max + 1} entries exceeds the remaining input`,
    })
  })

  it("measure and write UTF-8 at the one-, two- and three-byte limits", () => {
    for (const [text, utf8] of [
      ["\u007f", [0x7f]],
      ["\u0080", [0xc2, 0x80]],
      ["\u07ff", [0xdf, 0xbf]],
      ["\u0800", [0xe0, 0xa0, 0x80]],
    ] as const) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(utf8.length)
      const bytes = new Uint8Array(1 + utf8.length)
      expect(putString(bytes, 0, text)).toBe(bytes.length)
      expect([...bytes]).toEqual([utf8.length, ...utf8])
    }
  })

  it("write a long string behind its prefix and return where it ends", () => {
    const text = "x".repeat(100)
    const bytes = new Uint8Array(103).fill(0xee)
    expect(putString(bytes, 1, text)).toBe(102)
    expect([...bytes.subarray(0, 3)]).toEqual([0xee, 100, 0x78])
    expect(bytes[102]).toBe(0xee)
  })

  it("write nothing past a number's width or a short id's length", () => {
    const u64 = new Uint8Array(9).fill(0xee)
    expect(putU64(u64, 0, 1n)).toBe(8)
    expect(u64[8]).toBe(0xee)
    const f32 = new Uint8Array(5).fill(0xee)
    expect(putF32(f32, 0, 1.5)).toBe(4)
    expect(f32[4]).toBe(0xee)
    const id = new Uint8Array(12).fill(0xee)
    expect(putFixedData(id, 1, new Uint8Array([1, 2, 3]).buffer)).toBe(4)
    expect([...id.subarray(0, 5)]).toEqual([0xee, 1, 2, 3, 0xee])
  })
})
