import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { tempProject } from "../../../test/support/temp-project.ts"
import { exitCodeOf } from "./report.ts"
import { checkProject } from "./run-checks.ts"

describe("GOLDEN_VECTOR_BROKEN", () => {
  const project = tempProject({ schemas: true, protocol: true })
  afterAll(() => project.remove())
  const v2 = join(project.layout.goldenDir!, "v2")
  const golden = (report: Awaited<ReturnType<typeof checkProject>>) =>
    report.findings.filter((f) => f.rule === "GOLDEN_VECTOR_BROKEN")

  it("passes while every released version's vectors read back to the same bytes", async () => {
    const report = await checkProject(project.layout, undefined)
    expect(golden(report)).toEqual([])
    expect(report.golden.every((result) => result.vectors > 0)).toBe(true)
    expect(exitCodeOf(report)).toBe(0)
  })

  it("fails on a vector the current code no longer decodes, naming the file", async () => {
    const name = readdirSync(v2).find((file) => file.startsWith("ToClient.ToClientInit"))!
    const bytes = readFileSync(join(v2, name))
    writeFileSync(join(v2, name), bytes.subarray(0, bytes.length - 1))
    const report = await checkProject(project.layout, undefined)
    expect(golden(report)).toEqual([
      expect.objectContaining({
        file: `packages/protocol/test/golden/v2/${name}`,
        line: 1,
        column: 1,
        fails: true,
        message: expect.stringMatching(
          new RegExp(
            `^v2 ${name.replaceAll(".", "\\.")}: no longer decodes with the current v2 code: `,
          ),
        ),
      }),
    ])
    expect(exitCodeOf(report)).toBe(100)
    writeFileSync(join(v2, name), bytes)
  })

  it("fails on a vector named for a root type the version does not have", async () => {
    const bytes = readFileSync(join(v2, readdirSync(v2).find((f) => f.endsWith(".bin"))!))
    writeFileSync(join(v2, "ToNowhere.Anything.bin"), bytes)
    const report = await checkProject(project.layout, undefined)
    expect(golden(report).map((f) => f.message)).toEqual([
      "v2 ToNowhere.Anything.bin: v2 has no root type ToNowhere",
    ])
  })
})
