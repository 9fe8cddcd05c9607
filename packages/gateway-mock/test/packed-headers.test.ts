// A hibernating socket keeps its request headers packed into one string; a reopen sends them as
// they came.
import { expect, it } from "vitest"
import { packHeaders, unpackHeaders } from "../src/tunnel/packed-headers.js"

it("unpacks the headers it packed, in order, empty values and values with spaces and commas kept", () => {
  const headers = new Map([
    ["host", "127.0.0.1:6420"],
    ["x-empty", ""],
    ["accept", "text/html, application/json; q=0.9"],
    ["sec-websocket-protocol", "chat, superchat"],
  ])
  const packed = packHeaders(headers)
  expect(typeof packed).toBe("string")
  expect([...unpackHeaders(packed)]).toEqual([...headers])
})

it("unpacks no headers as none", () => {
  expect(unpackHeaders(packHeaders(new Map())).size).toBe(0)
})
