// `tunnelwire-gateway` as npm links it: the bin must be a committed file (npm links bins right
// after `npm ci`, before anything is built), which runs the built gateway.
import { execFile, spawn } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const run = promisify(execFile)
const PACKAGE = fileURLToPath(new URL("..", import.meta.url))
const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as {
  bin: Record<string, string>
  files: string[]
}

describe("the tunnelwire-gateway bin", () => {
  it("is a committed file outside dist/, shipped in the package", () => {
    const bin = manifest.bin["tunnelwire-gateway"]!
    expect(bin).not.toMatch(/^(\.\/)?dist\//)
    expect(existsSync(join(PACKAGE, bin))).toBe(true)
    expect(manifest.files).toContain("bin")
  })

  it("registers each --serverless NAME=URL and refuses one without a name", async () => {
    const bin = join(PACKAGE, manifest.bin["tunnelwire-gateway"]!)
    const child = spawn(process.execPath, [
      bin,
      "--port",
      "0",
      "--serverless",
      "sls=http://127.0.0.1:9/fn",
      "--serverless",
      "other=http://127.0.0.1:9/",
    ])
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ""
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString()
          const listening = /listening on (http:\/\/\S+)/.exec(out)
          if (listening !== null && out.includes("serverless: other")) resolve(listening[1]!)
        })
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)))
      })
      const listed = (await (await fetch(`${url}/serverless`)).json()) as {
        configs: { runnerName: string; url: string }[]
      }
      expect(listed.configs.map(({ runnerName, url }) => ({ runnerName, url }))).toEqual([
        { runnerName: "sls", url: "http://127.0.0.1:9/fn" },
        { runnerName: "other", url: "http://127.0.0.1:9/" },
      ])
    } finally {
      child.kill("SIGTERM")
    }
    await expect(run(process.execPath, [bin, "--serverless", "=http://x"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--serverless takes NAME=URL"),
    })
  })

  it("runs the built gateway", async () => {
    const bin = join(PACKAGE, manifest.bin["tunnelwire-gateway"]!)
    const { stdout } = await run(process.execPath, [bin, "--help"])
    expect(stdout).toMatch(/^usage: tunnelwire-gateway \[--port 6420\]/)
  })
})
