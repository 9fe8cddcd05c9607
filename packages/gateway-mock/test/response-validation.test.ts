import { describe, expect, it } from "vitest"
import { responseStartProblem } from "../src/tunnel/response-validation.js"

const headers = (entries: Array<[string, string]> = []) => new Map(entries)

describe("a runner's response start", () => {
  it("is sendable with a final status and valid headers", () => {
    for (const status of [200, 204, 301, 404, 599, 999])
      expect(responseStartProblem(status, headers([["content-type", "text/plain"]]))).toBeNull()
  })

  it("is refused with an informational, short, long or fractional status", () => {
    for (const status of [0, 100, 101, 199, 1000, 200.5, Number.NaN]) {
      expect(responseStartProblem(status, headers())).toBe(
        `status ${status} is not a final HTTP status`,
      )
    }
  })

  it("is refused with a header name that is not a token or a value holding CR, LF or NUL", () => {
    expect(responseStartProblem(200, headers([["bad name", "x"]]))).toBe(
      'header "bad name": "x" is not valid HTTP',
    )
    expect(
      responseStartProblem(
        200,
        headers([
          ["x-ok", "a"],
          ["x-split", "a\r\nb"],
        ]),
      ),
    ).toBe('header "x-split": "a\\r\\nb" is not valid HTTP')
    expect(responseStartProblem(200, headers([["x-nul", "a\0b"]]))).toContain("x-nul")
  })
})
