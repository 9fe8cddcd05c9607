// What the protocol's errors say, and how a refused value is described in them: the message is
// all a person reading a log gets, so its parts are pinned.
import { describe, expect, it } from "vitest"
import { describeValue } from "../src/encode-diagnosis.js"
import {
  DecodeError,
  EncodeError,
  JsonMappingError,
  TunnelwireError,
  VersionError,
} from "../src/errors.js"

describe("error messages", () => {
  it("the base error says it is tunnelwire's, and each kind says which it is", () => {
    expect(new TunnelwireError("x")).toMatchObject({ name: "TunnelwireError", message: "x" })
    expect(String(new TunnelwireError("x"))).toBe("TunnelwireError: x")
  })

  it("a decode error names the version, type, reason and byte offset", () => {
    const error = new DecodeError({ type: "ToClient", version: 3, offset: 17, reason: "bad tag" })
    expect(error.message).toBe("cannot decode v3 ToClient: bad tag at byte 17")
    expect(error).toMatchObject({ name: "DecodeError", type: "ToClient", version: 3, offset: 17 })
    expect(error.reason).toBe("bad tag")
    expect(error).toBeInstanceOf(TunnelwireError)
  })

  it("an encode error names where in the value it failed, and leaves out what it does not know", () => {
    const full = new EncodeError({
      type: "ToClient",
      version: 2,
      path: "ToClient.val.index",
      value: -1,
      reason: "expected u16, got -1",
    })
    expect(full.message).toBe(
      "cannot encode v2 ToClient at ToClient.val.index: expected u16, got -1",
    )
    expect(full).toMatchObject({ name: "EncodeError", path: "ToClient.val.index", value: -1 })
    expect(full.version).toBe(2)

    const whole = new EncodeError({ type: "ToClient", reason: "not a message" })
    expect(whole.message).toBe("cannot encode ToClient: not a message")
    expect(whole.path).toBe("ToClient")
    expect(whole.version).toBeUndefined()
  })

  it("an encode error keeps its cause", () => {
    const cause = new RangeError("too big")
    expect(new EncodeError({ type: "T", reason: "r" }, { cause }).cause).toBe(cause)
  })

  it("a JSON mapping error names the version, the path and the reason", () => {
    const error = new JsonMappingError({
      path: "ToClient.val",
      version: 1,
      reason: "expected null",
    })
    expect(error.message).toBe("cannot map v1 ToClient.val from JSON: expected null")
    expect(error).toMatchObject({ name: "JsonMappingError", path: "ToClient.val", version: 1 })
    expect(error.reason).toBe("expected null")
  })

  it("a version error carries the version it refused, when there is one", () => {
    expect(new VersionError("no", 9)).toMatchObject({
      name: "VersionError",
      message: "no",
      version: 9,
    })
    expect(new VersionError("no").version).toBeUndefined()
  })
})

describe("how a refused value is described", () => {
  it("quotes short strings whole and cuts long ones at 40 characters, giving their length", () => {
    expect(describeValue("abc")).toBe('"abc"')
    const forty = "x".repeat(40)
    expect(describeValue(forty)).toBe(`"${forty}"`)
    expect(describeValue(`${forty}y`)).toBe(`"${forty}…" (41 characters)`)
  })

  it("writes primitives as JavaScript does, bigints with an n", () => {
    expect(describeValue(12n)).toBe("12n")
    expect(describeValue(1.5)).toBe("1.5")
    expect(describeValue(false)).toBe("false")
    expect(describeValue(undefined)).toBe("undefined")
    expect(describeValue(null)).toBe("null")
    expect(describeValue(Symbol("s"))).toBe("Symbol(s)")
    expect(describeValue(() => 1)).toBe("a function")
  })

  it("names containers and byte holders with their size", () => {
    expect(describeValue(new ArrayBuffer(3))).toBe("an ArrayBuffer of 3 bytes")
    expect(describeValue(new Uint16Array(2))).toBe("a Uint16Array of 4 bytes")
    expect(describeValue(new DataView(new ArrayBuffer(5)))).toBe("a DataView of 5 bytes")
    expect(describeValue(new SharedArrayBuffer(6))).toBe("a SharedArrayBuffer of 6 bytes")
    expect(describeValue([1, 2])).toBe("an array of 2")
    expect(describeValue(new Map([[1, 2]]))).toBe("a Map of 1")
    expect(describeValue({ a: 1 })).toBe("an object")
  })
})
