import { describe, expect, it } from "vitest"
import { backoffDelay } from "../src/backoff.js"

describe("reconnect backoff", () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0.5 }

  it("doubles from the initial delay up to the ceiling without jitter", () => {
    const delays = [0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, options, () => 0))
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000])
  })

  it("takes at most the jitter fraction off", () => {
    expect(backoffDelay(3, options, () => 0.999_999)).toBe(400)
    expect(backoffDelay(3, { ...options, jitter: 1 }, () => 0.5)).toBe(400)
  })

  it("stays finite for very large attempt numbers", () => {
    expect(backoffDelay(10_000, options, () => 0)).toBe(1_000)
  })
})
