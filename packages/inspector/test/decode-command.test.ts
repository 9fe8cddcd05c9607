import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import {
  PROTOCOL_VERSIONS,
  schemas,
  v3,
  writeEmbeddedVersion,
} from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { runCli } from "./run-cli.js"

const corpus = fileURLToPath(new URL("../../protocol/test/golden/", import.meta.url))
const goldenDir = fileURLToPath(new URL("./cli-golden/", import.meta.url))
const update = process.env.TUNNELWIRE_UPDATE_GOLDEN === "1"

/** Compares with the committed output, or rewrites it with TUNNELWIRE_UPDATE_GOLDEN=1. */
function expectGolden(name: string, actual: string): void {
  const path = `${goldenDir}${name}`
  if (update || !existsSync(path)) {
    if (!update) throw new Error(`no golden output ${name}; run with TUNNELWIRE_UPDATE_GOLDEN=1`)
    mkdirSync(goldenDir, { recursive: true })
    writeFileSync(path, actual)
  }
  expect(actual).toBe(readFileSync(path, "utf8"))
}

/** One corpus frame per root type per version: the first file of each root type, by name. */
function sampleFrames(version: number): { root: string; file: string }[] {
  const files = readdirSync(`${corpus}v${version}`)
    .filter((f) => f.endsWith(".bin"))
    .sort()
  return schemas[version as 1].roots.map((root) => {
    const file = files.find((f) => f.startsWith(`${root}.`))
    if (file === undefined) throw new Error(`the corpus has no v${version} ${root} frame`)
    return { root, file }
  })
}

describe.each(PROTOCOL_VERSIONS)("inspect decode, v%i", (version) => {
  it.each(sampleFrames(version))(
    "prints $root from a file as one line and as JSON",
    async ({ root, file }) => {
      const path = `${corpus}v${version}/${file}`
      const args = ["decode", "--file", path, "--version", String(version), "--type", root]
      const line = await runCli([...args, "--no-redact"])
      expect(line.code).toBe(0)
      expectGolden(`v${version}.${root}.out`, line.stdout)
      const json = await runCli([...args, "--json"])
      expect(json.code).toBe(0)
      expectGolden(`v${version}.${root}.json.out`, json.stdout)
    },
  )

  it.each(sampleFrames(version))(
    "reports $root cut in half with the byte offset and a hex dump, exit 2",
    async ({ root, file }) => {
      const bytes = readFileSync(`${corpus}v${version}/${file}`)
      const half = bytes.subarray(0, Math.floor(bytes.length / 2))
      const args = ["decode", hex(half), "--version", String(version), "--type", root]
      const output = await runCli(args)
      expect(output.code).toBe(2)
      expect(output.stdout).toBe("")
      expectGolden(`v${version}.${root}.truncated.err`, output.stderr)
    },
  )
})

const requestId = new Uint8Array(16).fill(0xab).buffer
const ping: v3.ToServer = { tag: "ToServerPing", val: { ts: 1_700_000_000_000n } }
const open: v3.ToClient = {
  tag: "ToClientTunnelMessage",
  val: {
    requestId,
    messageId: requestId,
    gatewayReplyTo: null,
    messageKind: {
      tag: "ToClientWebSocketOpen",
      val: {
        actorId: "chat-1",
        path: "/ws",
        headers: new Map([["authorization", "Bearer s3cret"]]),
      },
    },
  },
}
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

describe("inspect decode input forms", () => {
  it("reads hex, spaced hex with 0x, base64 and standard input alike", async () => {
    const bytes = v3.encodeToServer(ping)
    const spaced = `0x${hex(bytes).replace(/(..)/g, "$1 ")}`
    const outputs = await Promise.all([
      runCli(["decode", hex(bytes), "--type", "ToServer"]),
      runCli(["decode", spaced, "--type", "ToServer"]),
      runCli(["decode", Buffer.from(bytes).toString("base64"), "--type", "ToServer"]),
      runCli(["decode", "--type", "ToServer"], `${hex(bytes)}\n`),
    ])
    for (const output of outputs) {
      expect(output).toEqual({
        code: 0,
        stdout: "v3 ToServer ToServerPing{ts: 1700000000000n}\n",
        stderr: "",
      })
    }
  })

  it("finds the root type when only one decodes, and redacts secrets unless told not to", async () => {
    const bytes = hex(v3.encodeToClient(open))
    const redacted = await runCli(["decode", bytes])
    expect(redacted.code).toBe(0)
    expect(redacted.stdout).toContain("v3 ToClient ToClientTunnelMessage{requestId: abababab…(16)")
    expect(redacted.stdout).toContain('"authorization": "<redacted>"')
    expect((await runCli(["decode", bytes, "--no-redact"])).stdout).toContain('"Bearer s3cret"')
  })

  it("reads the version of an embedded-version frame", async () => {
    const frame = writeEmbeddedVersion(3, v3.encodeToServer(ping))
    const output = await runCli(["decode", hex(frame), "--embedded", "--type", "ToServer"])
    expect(output.stdout).toBe("v3 ToServer ToServerPing{ts: 1700000000000n}\n")
  })

  it("asks for --type when the bytes decode as several root types", async () => {
    // 18 bytes that are both a ToServerInit (metadata "abcd") and a ToClientInit (two i64s).
    const init: v3.ToServer = {
      tag: "ToServerInit",
      val: {
        name: "",
        version: 1,
        totalSlots: 2,
        lastCommandIdx: null,
        prepopulateActorNames: null,
        metadata: "abcd",
      },
    }
    const output = await runCli(["decode", hex(v3.encodeToServer(init))])
    expect(output).toMatchObject({
      code: 1,
      stderr: "these 18 bytes decode as v3 ToServer and ToClient; pass --type\n",
    })
  })
})

describe("inspect decode on bad input", () => {
  it("names the type and byte offset and dumps the bytes around it", async () => {
    const truncated = hex(v3.encodeToClient(open)).slice(0, 60)
    const output = await runCli(["decode", truncated, "--type", "ToClient", "--version", "3"])
    expect(output.code).toBe(2)
    expectGolden("bad.truncated.err", output.stderr)
  })

  it("reports an invalid union tag at byte 0", async () => {
    const output = await runCli(["decode", "ff00", "--type", "ToServer"])
    expect(output.code).toBe(2)
    expectGolden("bad.tag.err", output.stderr)
  })

  it("refuses text that is neither hex nor base64, an unknown version and an unknown type", async () => {
    expect(await runCli(["decode", "not bytes!"])).toMatchObject({
      code: 1,
      stderr:
        "input is neither hex nor base64: give hex (04 01 00…), base64 (BAEA…), --file <path> or standard input\n",
    })
    const badVersion = await runCli(["decode", "00", "--version", "9"])
    expect(badVersion.code).toBe(1)
    expect(badVersion.stderr).toMatch(/unknown protocol version 9/)
    const badType = await runCli(["decode", "00", "--type", "ToNowhere"])
    expect(badType.code).toBe(1)
    expect(badType.stderr).toMatch(/no root type ToNowhere/)
  })
  it("says in one line, without a stack trace, that a --file is missing", async () => {
    expect(await runCli(["decode", "--file", "/nonexistent/frame.bin"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "cannot read --file /nonexistent/frame.bin: no such file\n",
    })
  })

  it("says that text which is not hex was read as base64 when it does not decode", async () => {
    const output = await runCli(["decode", "zzzz", "--type", "ToServer"])
    expect(output.code).toBe(2)
    expect(output.stderr.split("\n")[0]).toBe(
      "the input is not hex, so it was read as base64 (3 bytes); pass --encoding hex or --encoding base64 to say which",
    )
    expect(output.stderr).not.toMatch(/\n\s+at /)
  })
})
