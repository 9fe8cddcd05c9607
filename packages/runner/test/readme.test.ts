import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const fixture = fileURLToPath(new URL("./fixtures/readme-example.ts", import.meta.url))
const serverlessFixture = fileURLToPath(
  new URL("./fixtures/readme-serverless-example.ts", import.meta.url),
)

/** The README's `index`th ts code block. */
function readmeExample(index = 0): string {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)][index]?.[1]
  if (block === undefined) throw new Error(`README has no ts code block ${index}`)
  return block
}

describe("the README example", () => {
  it("is a complete runner with an HTTP handler and a hibernatable WebSocket in under 40 lines", () => {
    const example = readmeExample()
    expect(example.trimEnd().split("\n").length).toBeLessThan(40)
    for (const part of ["new Runner(", "fetch:", "websocket:", "canHibernate:", "runner.start()"]) {
      expect(example).toContain(part)
    }
  })

  it("is the typechecked fixture, word for word", () => {
    expect(readFileSync(fixture, "utf8")).toBe(readmeExample())
  })

  it("of a serverless /start handler is the typechecked fixture, word for word", () => {
    const example = readmeExample(1)
    expect(example).toContain("runner.serverlessInitPacket()")
    expect(readFileSync(serverlessFixture, "utf8")).toBe(example)
  })

  it("typechecks against the package", () => {
    const configPath = `${packageDir}tsconfig.json`
    const config = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"))
      },
    })
    if (config === undefined) throw new Error(`cannot read ${configPath}`)
    const program = ts.createProgram([fixture, serverlessFixture], config.options)
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file?.fileName.replace(packageDir, "") ?? ""
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`
    })
    expect(problems).toEqual([])
  }, 60_000)
})
