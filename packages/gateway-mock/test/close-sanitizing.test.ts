import { GatewayClose, withRayId } from "@tunnelwire/protocol"
import { describe, expect, it } from "vitest"
import { clientCloseForActor } from "../src/tunnel/close-sanitizing.js"

const rayId = () => "ray-1"
const invalid = GatewayClose.invalidActorClose

describe("the close a client gets for its actor's close", () => {
  it("passes a sendable code and reason on as they are", () => {
    expect(clientCloseForActor(4001, "bye", rayId)).toEqual({
      code: 4001,
      reason: "bye",
      problem: null,
    })
    expect(clientCloseForActor(1000, "é".repeat(61), rayId)).toEqual({
      code: 1000,
      reason: "é".repeat(61),
      problem: null,
    })
  })

  it("passes a missing code or reason on as the gateway's plain close", () => {
    expect(clientCloseForActor(null, null, rayId)).toEqual({
      code: GatewayClose.closed.code,
      reason: GatewayClose.closed.reason,
      problem: null,
    })
  })

  it("replaces a code no close frame carries with the gateway's error close and its ray id", () => {
    for (const code of [1005, 1006, 1004, 5000, 999]) {
      const close = clientCloseForActor(code, "bye", rayId)
      expect(close.code).toBe(invalid.code)
      expect(close.reason).toBe(withRayId(invalid.reason, "ray-1"))
      expect(close.problem).toContain(String(code))
    }
  })

  it("replaces a reason over 123 UTF-8 bytes the same way", () => {
    const close = clientCloseForActor(1000, "é".repeat(62), rayId)
    expect(close).toEqual({
      code: invalid.code,
      reason: withRayId(invalid.reason, "ray-1"),
      problem: expect.stringContaining("124"),
    })
  })
})
