// The runtime knows no protocol: a tiny two-version family unlike the runner protocol
// (test/notes-family/, written against the runtime's two entry points and nothing else)
// encodes, decodes, stringifies, maps to JSON and converts across versions through it.
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import {
  DecodeError,
  DowngradeError,
  EncodeError,
  JsonMappingError,
  VersionError,
} from "../src/index.js"
import * as v1 from "./notes-family/v1.js"
import * as v2 from "./notes-family/v2.js"
import * as versioned from "./notes-family/versioned.js"

const id = new Uint8Array([0xde, 0xad, 0xbe, 0xef]).buffer
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
const v1Note: v1.Event = { tag: "Note", val: { id, text: "hi", pinned: true } }
const v2Note: v2.Event = {
  tag: "Note",
  val: { id, text: "hi", pinned: true, color: "GREEN", edits: 3n },
}

describe("a family of two versions built on the runtime alone", () => {
  it("encodes a v1 message to the exact BARE bytes and decodes them back", () => {
    const bytes = v1.encodeEvent(v1Note)
    // tag 0, id, "hi" with its length, pinned
    expect(hex(bytes)).toBe("00deadbeef02686901")
    expect(v1.decodeEvent(bytes)).toEqual(v1Note)
  })

  it("encodes the v2 shape with its optional enum and u64", () => {
    const bytes = v2.encodeEvent(v2Note)
    expect(hex(bytes)).toBe("00deadbeef026869010101" + "0300000000000000")
    expect(v2.decodeEvent(bytes)).toEqual(v2Note)
  })

  it("stringifies with the family's own type names", () => {
    expect(v2.stringifyEvent(v2Note)).toBe(
      'Note{id: deadbeef(4), text: "hi", pinned: true, color: GREEN, edits: 3n}',
    )
  })

  it("maps to lossless JSON and back", () => {
    const json = v1.toJsonEvent(v1Note)
    expect(json).toEqual({ tag: "Note", val: { id: "deadbeef", text: "hi", pinned: true } })
    expect(v1.fromJsonEvent(JSON.parse(JSON.stringify(json)))).toEqual(v1Note)
    expect(() =>
      v1.fromJsonEvent({ tag: "Note", val: { id: "xyz", text: "", pinned: 1 } }),
    ).toThrow(JsonMappingError)
  })

  it("refuses a wrong value with the path and the family's version", () => {
    const wrong = { tag: "Note", val: { ...v1Note.val, pinned: "yes" } } as unknown as v1.Event
    const error = (() => {
      try {
        v1.encodeEvent(wrong)
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(EncodeError)
    expect(error).toMatchObject({ version: 1, type: "Event", path: "Event.val.pinned" })
  })

  it("refuses bad bytes with the offset", () => {
    expect(() => v1.decodeEvent(new Uint8Array([0x07]))).toThrow(DecodeError)
    expect(() => v1.decodeEvent(new Uint8Array([0x00, 0xde, 0xad]))).toThrow(
      "cannot decode v1 Event: missing bytes at byte 1",
    )
  })

  it("reads either version into the v2 shape and writes v2 values as either", () => {
    const upgraded = versioned.decodeEvent(v1.encodeEvent(v1Note), { version: 1 })
    expect(upgraded).toEqual({ tag: "Note", val: { ...v1Note.val, color: null, edits: 0n } })
    expect(() => versioned.encodeEvent(v2Note, { version: 1 })).toThrow(DowngradeError)
    const losses: string[] = []
    const lossy = versioned.encodeEvent(v2Note, {
      version: 1,
      lossy: "drop",
      onLoss: (loss) => losses.push(`${loss.type}.${loss.field}`),
    })
    expect(hex(lossy ?? new Uint8Array())).toBe("00deadbeef02686901")
    expect(losses).toEqual(["Note.color"])
  })

  it("needs the version named, and names the family's versions", () => {
    const bytes = v2.encodeEvent(v2Note)
    expect(() => versioned.decodeEvent(bytes, {} as { version: number })).toThrow(
      new VersionError("decodeEvent needs the protocol version: { version: 1 | 2 }"),
    )
    expect(() => versioned.decodeEvent(bytes, { version: 3 })).toThrow(VersionError)
  })

  it("carries the version in embedded-version frames", () => {
    const frame = versioned.encodeEventFrame(v2Note, { version: 2 })!
    expect(hex(frame.subarray(0, 2))).toBe("0200")
    expect(versioned.decodeEventFrame(frame)).toEqual({ version: 2, message: v2Note })
  })
})

describe("the runtime's sources", () => {
  it("import nothing but each other and @bare-ts/lib", () => {
    const sources = new URL("../src/", import.meta.url)
    const imported = readdirSync(sources)
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) =>
        [...readFileSync(new URL(file, sources), "utf8").matchAll(/ from "([^"]+)"/g)].map(
          (match) => match[1],
        ),
      )
    expect(imported.filter((from) => !from?.startsWith("./") && from !== "@bare-ts/lib")).toEqual(
      [],
    )
  })
})
