import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const bin = fileURLToPath(new URL("../bin/tunnelwire-inspect.js", import.meta.url))

describe("the tunnelwire-inspect bin", () => {
  it("decodes hex given on standard input and exits 0", () => {
    // v3 ToServerPing{ts: 1n}: tag 4, then the i64 little-endian.
    const output = execFileSync(process.execPath, [bin, "decode", "--type", "ToServer"], {
      input: "040100000000000000",
    })
    expect(output.toString()).toBe("v3 ToServer ToServerPing{ts: 1n}\n")
  })

  it("exits 2 with the offset when the bytes do not decode", () => {
    let status: number | null = null
    let stderr = ""
    try {
      execFileSync(process.execPath, [bin, "decode", "04", "--type", "ToServer"], { stdio: "pipe" })
    } catch (error) {
      const failed = error as { status: number | null; stderr: Buffer }
      status = failed.status
      stderr = failed.stderr.toString()
    }
    expect(status).toBe(2)
    expect(stderr).toMatch(/^cannot decode v3 ToServer: missing bytes at byte 1\n/)
  })
})
