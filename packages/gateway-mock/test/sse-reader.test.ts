import { describe, expect, it } from "vitest"
import { SseLimitError, SseReader } from "../src/serverless/sse-reader.js"

const LIMITS = { maxLineChars: 64, maxEventChars: 128 }
const bytes = (text: string) => new TextEncoder().encode(text)

function readAll(chunks: string[], limits = LIMITS) {
  const reader = new SseReader(limits)
  return chunks.flatMap((chunk) => reader.push(bytes(chunk)))
}

describe("SseReader", () => {
  it("reads events named or not, joins data lines, skips comments and unknown fields", () => {
    const events = readAll([
      ": a comment\nid: 1\nretry: 10\nevent: ping\ndata:\n\n",
      "data: first\ndata:second\n\n",
      "data\n\n",
    ])
    expect(events).toEqual([
      { event: "ping", data: "" },
      { event: "message", data: "first\nsecond" },
      { event: "message", data: "" },
    ])
  })

  it("dispatches nothing for a block without data, and keeps a partial event for the next chunk", () => {
    const reader = new SseReader(LIMITS)
    expect(reader.push(bytes("event: ping\n\nda"))).toEqual([])
    expect(reader.push(bytes("ta: x"))).toEqual([])
    expect(reader.push(bytes("\n\n"))).toEqual([{ event: "message", data: "x" }])
  })

  it("takes CR LF, CR and LF as line ends, a CR LF split across chunks as one", () => {
    expect(readAll(["data: a\r\n\r\ndata: b\r\rdata: c\r", "\n\r", "\n"])).toEqual([
      { event: "message", data: "a" },
      { event: "message", data: "b" },
      { event: "message", data: "c" },
    ])
  })

  it("decodes UTF-8 split across chunks", () => {
    const encoded = bytes("data: é\n\n")
    const reader = new SseReader(LIMITS)
    expect(reader.push(encoded.subarray(0, 7))).toEqual([])
    expect(reader.push(encoded.subarray(7))).toEqual([{ event: "message", data: "é" }])
  })

  it("refuses a line over the bound, even one that never ends", () => {
    expect(() => readAll(["data: ".padEnd(100, "x")])).toThrow(SseLimitError)
    expect(() => readAll([`data: ${"x".repeat(100)}\n`])).toThrow(/line exceeds 64/)
  })

  it("refuses an event whose data lines add up over the bound", () => {
    const line = `data: ${"x".repeat(50)}\n`
    expect(() => readAll([line, line, line])).toThrow(/data exceeds 128/)
  })
})
