// Which header values and query parameters are credentials, and what is left of them when printed.
import { describe, expect, it } from "vitest"
import { REDACTED, redactHeader, redactPath } from "../src/header-redaction.js"

describe("header redaction", () => {
  it.each([
    "authorization",
    "Proxy-Authorization",
    "cookie",
    "Set-Cookie",
    "x-rivet-token",
    "X-Secret",
    "x-api-key",
    "api_key",
    "apikey",
    "password",
    "x-passwd",
    "credentials",
    "auth",
    "x-auth",
    "x_auth_user",
  ])("hides the value of %s", (name) => {
    expect(redactHeader(name, "s3cr3t")).toBe(REDACTED)
  })

  it.each(["accept", "content-type", "x-oauth-scope", "user-agent"])(
    "keeps the value of %s",
    (name) => {
      expect(redactHeader(name, "text/plain")).toBe("text/plain")
    },
  )

  it("hides only the token of a token subprotocol, every one of them, and keeps the others", () => {
    expect(redactHeader("Sec-WebSocket-Protocol", "rivet, rivet_token.abc.def, other")).toBe(
      "rivet, rivet_token.<redacted>, other",
    )
    expect(redactHeader("sec-websocket-protocol", "rivet_token.a,rivet_token.b")).toBe(
      "rivet_token.<redacted>,rivet_token.<redacted>",
    )
    expect(redactHeader("sec-websocket-protocol", "rivet, rivet_tokenXabc")).toBe(
      "rivet, rivet_tokenXabc",
    )
    expect(redactHeader("x-forwarded-protocol", "rivet_token.abc")).toBe("rivet_token.abc")
  })
})

describe("path redaction", () => {
  it("hides the values of credential parameters and keeps the rest of the path", () => {
    expect(redactPath("/chat?room=1&token=t0k&access_token=t1k&x=2")).toBe(
      "/chat?room=1&token=<redacted>&access_token=<redacted>&x=2",
    )
    expect(redactPath("/a?password=p#frag")).toBe("/a?password=<redacted>#frag")
    expect(redactPath("/a?Api-Key=k")).toBe("/a?Api-Key=<redacted>")
  })

  it("recognises a percent-encoded parameter name and keeps its spelling", () => {
    expect(redactPath("/a?%74oken=t0k")).toBe("/a?%74oken=<redacted>")
  })

  it("reads a name that is not valid percent-encoding as it is", () => {
    expect(redactPath("/a?token%=t0k&room%=1")).toBe("/a?token%=<redacted>&room%=1")
  })

  it("leaves a path without credential parameters as it is", () => {
    expect(redactPath("/chat?room=1&x=2")).toBe("/chat?room=1&x=2")
    expect(redactPath("/token=1")).toBe("/token=1")
    expect(redactPath("/chat#token=1")).toBe("/chat#token=1")
  })
})
