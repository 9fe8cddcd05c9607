import { describe, expect, it } from "vitest"
import { REDACTED, redactHeader, redactPath } from "../src/index.js"

describe("credential redaction", () => {
  it("hides credential headers by name, whatever the protocol", () => {
    expect(redactHeader("Authorization", "Bearer abc")).toBe(REDACTED)
    expect(redactHeader("x-api-token", "abc")).toBe(REDACTED)
    expect(redactHeader("content-type", "text/plain")).toBe("text/plain")
  })

  it("hides the credential of a subprotocol named like a secret, keeping its name", () => {
    expect(redactHeader("Sec-WebSocket-Protocol", "chat.v2, app_token.s3cr3t, x")).toBe(
      `chat.v2, app_token.${REDACTED}, x`,
    )
    expect(redactHeader("sec-websocket-protocol", "session_secret.abc")).toBe(
      `session_secret.${REDACTED}`,
    )
  })

  it("hides credential query parameters of a path", () => {
    expect(redactPath("/chat?room=1&api_key=k&x=2")).toBe(`/chat?room=1&api_key=${REDACTED}&x=2`)
  })
})
