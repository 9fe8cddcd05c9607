// The migration chain is typed end to end: a hand-written converter module that misses a changed
// type or converts it to the wrong shape must not compile. These run tsc on fixtures.
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { beforeAll, describe, expect, it } from "vitest"

const fixtures = fileURLToPath(new URL("../fixtures/compile-fail/", import.meta.url))
const packageRoot = fileURLToPath(new URL("../../", import.meta.url))

interface Rejection {
  readonly file: string
  readonly line: number
  /** The code of the error, then the codes of the reasons it gives, outermost first. */
  readonly codes: readonly number[]
  readonly text: string
}

function rejectionsOf(diagnostics: readonly ts.Diagnostic[]): Rejection[] {
  return diagnostics.map((diagnostic) => {
    const file = diagnostic.file
    const line =
      file === undefined ? 0 : file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1
    return {
      file: file === undefined ? "" : file.fileName,
      line,
      codes: codesOf(diagnostic.messageText, diagnostic.code),
      text: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
    }
  })
}

function codesOf(message: string | ts.DiagnosticMessageChain, code: number): number[] {
  if (typeof message === "string") return [code]
  return [message.code, ...(message.next ?? []).flatMap((next) => codesOf(next, next.code))]
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.getParsedCommandLineOfConfigFile(`${fixtures}tsconfig.json`, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"))
    },
  })
  if (config === undefined) throw new Error("cannot read the fixtures' tsconfig.json")
  return config.options
}

/** The line of `fixture` that says where tsc must reject it. */
function markedLine(fixture: string): number {
  const lines = readFileSync(fixture, "utf8").split("\n")
  const index = lines.findIndex((line) => line.includes("// rejected here:"))
  if (index === -1) throw new Error(`${fixture} marks no line as rejected`)
  return index + 1
}

describe("hand-written converters checked against HandWrittenUpgrades/HandWrittenDowngrades", () => {
  const complete = `${fixtures}complete-converters.ts`
  const missing = `${fixtures}missing-converter.ts`
  const mistyped = `${fixtures}mistyped-converter.ts`
  let rejections: Rejection[] = []

  beforeAll(() => {
    const program = ts.createProgram([complete, missing, mistyped], compilerOptions())
    rejections = rejectionsOf(ts.getPreEmitDiagnostics(program))
  }, 120_000) // a whole program: seven versions of generated code to check

  it("accepts complete converters (the control: the other fixtures fail for their own reason)", () => {
    expect(rejections.filter((rejection) => rejection.file === complete)).toEqual([])
  })

  it("rejects a module without the ToServerWebSocketClose upgrade (TS1360, for TS2741)", () => {
    expect(rejections.filter((rejection) => rejection.file === missing)).toEqual([
      {
        file: missing,
        line: markedLine(missing),
        codes: [1360, 2741],
        text: expect.stringMatching(/Property 'ToServerWebSocketClose' is missing/),
      },
    ])
  })

  it("rejects an upgrade that writes lastMsgIndex as a number, not an i64 (TS2322)", () => {
    expect(rejections.filter((rejection) => rejection.file === mistyped)).toEqual([
      {
        file: mistyped,
        line: markedLine(mistyped),
        codes: [2322],
        text: "Type 'number' is not assignable to type 'bigint'.",
      },
    ])
  })

  it("reports nothing outside the fixtures", () => {
    const elsewhere = rejections.filter(
      (rejection) => ![complete, missing, mistyped].includes(rejection.file),
    )
    expect(elsewhere).toEqual([])
  })
})

describe("the generated chain", () => {
  it("rejects a module without `satisfies` that misses a converter (TS2741 where it is used)", () => {
    const handWritten = `${packageRoot}src/migrations/v1-to-v2.ts`
    const generated = `${packageRoot}src/gen/migrations/v1-v2.ts`
    const options = compilerOptions()
    const host = ts.createCompilerHost(options)
    const readFile = host.readFile.bind(host)
    const standIn = readFileSync(`${fixtures}without-satisfies/v1-to-v2.ts`, "utf8")
    host.readFile = (file) => (file === handWritten ? standIn : readFile(file))

    const program = ts.createProgram([generated], options, host)
    const rejections = rejectionsOf(ts.getPreEmitDiagnostics(program))

    const assignment = readFileSync(generated, "utf8")
      .split("\n")
      .findIndex((line) => line.startsWith("const handWrittenUpgrades: HandWrittenUpgrades ="))
    expect(rejections).toEqual([
      {
        file: generated,
        line: assignment + 1,
        codes: [2741],
        text: expect.stringMatching(/Property 'ToServerWebSocketClose' is missing/),
      },
    ])
  })
})
