// The text forms the JSON mapping and the stringifier use for bytes (base64, hex), the integer
// ranges every encoder checks, and the version check; each stated on its own, with edge cases a
// mutation run found unpinned (see docs/mutation-testing.md).
import { Buffer } from "node:buffer"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { fromBase64, toBase64 } from "../src/base64.js"
import { VersionError } from "../src/errors.js"
import { fromHex, toHex } from "../src/hex.js"
import { inBigintRange, inNumberRange } from "../src/integer-ranges.js"
import { checkedVersion, versionNamer } from "../src/version-check.js"

const bytes = (...values: number[]) => new Uint8Array(values)

describe("base64", () => {
  it("writes what Node's Buffer writes, for every length and byte", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (input) => {
        expect(toBase64(input)).toBe(Buffer.from(input).toString("base64"))
      }),
    )
  })

  it("reads back every text it writes, padding of one and two included", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (input) => {
        expect(fromBase64(toBase64(input))).toEqual(input)
      }),
    )
    expect(fromBase64("")).toEqual(bytes())
    expect(fromBase64("/w==")).toEqual(bytes(0xff))
    expect(fromBase64("//8=")).toEqual(bytes(0xff, 0xff))
    expect(fromBase64("+/+/")).toEqual(bytes(0xfb, 0xff, 0xbf))
  })

  it("refuses text whose length is not a multiple of four", () => {
    for (const text of ["A", "AA", "AAA", "AAAAA", "AA=", "AAAA="]) {
      expect(fromBase64(text), text).toBeUndefined()
    }
  })

  it("refuses characters outside the alphabet and padding anywhere but the end", () => {
    for (const text of ["AA-A", "AA_A", "AA A", "=AAA", "A=AA", "AA=A", "A===", "===="]) {
      expect(fromBase64(text), text).toBeUndefined()
    }
    expect(fromBase64("AA==AAAA")).toBeUndefined()
  })

  it("refuses padding bits that are not zero, so one byte string has one text", () => {
    expect(fromBase64("AA==")).toEqual(bytes(0))
    expect(fromBase64("AB==")).toBeUndefined()
    expect(fromBase64("AAA=")).toEqual(bytes(0, 0))
    expect(fromBase64("AAB=")).toBeUndefined()
  })
})

describe("hex", () => {
  it("writes two lowercase digits per byte, high nibble first", () => {
    expect(toHex(bytes(0x00, 0x0f, 0xf0, 0xab, 0xff))).toBe("000ff0abff")
    expect(toHex(bytes())).toBe("")
  })

  it("reads lowercase and uppercase digits", () => {
    expect(fromHex("000ff0abff")).toEqual(bytes(0x00, 0x0f, 0xf0, 0xab, 0xff))
    expect(fromHex("ABcd")).toEqual(bytes(0xab, 0xcd))
    expect(fromHex("")).toEqual(bytes())
  })

  it("refuses an odd number of digits and anything that is not a hex digit", () => {
    for (const text of ["a", "abc", "0g", "0x00", " 00", "00 ", "+1", "-1"]) {
      expect(fromHex(text), text).toBeUndefined()
    }
  })
})

describe("integer ranges", () => {
  const numberBounds = [
    ["u8", 0, 0xff],
    ["u16", 0, 0xffff],
    ["u32", 0, 0xffff_ffff],
    ["i8", -0x80, 0x7f],
    ["i16", -0x8000, 0x7fff],
    ["i32", -0x8000_0000, 0x7fff_ffff],
  ] as const

  it.each(numberBounds)("%s holds its bounds and nothing one past them", (kind, min, max) => {
    expect(inNumberRange(kind, min)).toBe(true)
    expect(inNumberRange(kind, max)).toBe(true)
    expect(inNumberRange(kind, min - 1)).toBe(false)
    expect(inNumberRange(kind, max + 1)).toBe(false)
  })

  it("holds only integers of type number", () => {
    expect(inNumberRange("u8", 1.5)).toBe(false)
    expect(inNumberRange("u8", Number.NaN)).toBe(false)
    expect(inNumberRange("u8", 1n)).toBe(false)
    expect(inNumberRange("u8", "1")).toBe(false)
  })

  const bigintBounds = [
    ["u64", 0n, 2n ** 64n - 1n],
    ["uint", 0n, 2n ** 64n - 1n],
    ["i64", -(2n ** 63n), 2n ** 63n - 1n],
    ["int", -(2n ** 63n), 2n ** 63n - 1n],
  ] as const

  it.each(bigintBounds)("%s holds its bounds and nothing one past them", (kind, min, max) => {
    expect(inBigintRange(kind, min)).toBe(true)
    expect(inBigintRange(kind, max)).toBe(true)
    expect(inBigintRange(kind, min - 1n)).toBe(false)
    expect(inBigintRange(kind, max + 1n)).toBe(false)
  })

  it("holds only bigints for 64-bit and variable-length integers", () => {
    expect(inBigintRange("u64", 1)).toBe(false)
    expect(inBigintRange("int", "1")).toBe(false)
  })
})

describe("the version check", () => {
  const known = [1, 2, 3] as const

  it("takes the latest known version when none is given", () => {
    expect(checkedVersion(undefined, known)).toBe(3)
  })

  it("takes a known version as it is", () => {
    expect(checkedVersion(1, known)).toBe(1)
    expect(checkedVersion(2, known)).toBe(2)
  })

  it("refuses an unknown version, naming it and the versions it knows", () => {
    const refusal = (() => {
      try {
        checkedVersion(4, known)
      } catch (error) {
        return error
      }
    })()
    expect(refusal).toBeInstanceOf(VersionError)
    expect((refusal as VersionError).version).toBe(4)
    expect((refusal as VersionError).message).toBe(
      "unsupported protocol version 4; supported: 1, 2, 3",
    )
  })
})

describe("the version a version-aware function is given", () => {
  const namedVersion = versionNamer([1, 2] as const)

  it("is the one named, when it is known", () => {
    expect(namedVersion({ version: 1 }, "decodeX")).toBe(1)
  })

  it("must be named: no options, or none in them, is a VersionError naming the choices", () => {
    for (const options of [undefined, {}]) {
      const refusal = (() => {
        try {
          namedVersion(options, "decodeX")
        } catch (error) {
          return error
        }
      })()
      expect(refusal).toBeInstanceOf(VersionError)
      expect((refusal as VersionError).message).toBe(
        "decodeX needs the protocol version: { version: 1 | 2 }",
      )
    }
  })

  it("is refused when unknown, naming it", () => {
    expect(() => namedVersion({ version: 3 }, "encodeX")).toThrow(
      "unsupported protocol version 3; supported: 1, 2",
    )
  })
})
