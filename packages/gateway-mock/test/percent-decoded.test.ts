import { describe, expect, it } from "vitest"
import { percentDecoded } from "../src/percent-decoded.js"

describe("percent-decoding a path segment", () => {
  it("decodes valid escapes and gives null for malformed ones", () => {
    expect(percentDecoded("a%20b%2Fc")).toBe("a b/c")
    expect(percentDecoded("%E2%82%AC")).toBe("€")
    expect(percentDecoded("%E2%82")).toBeNull()
    expect(percentDecoded("%zz")).toBeNull()
  })
})
