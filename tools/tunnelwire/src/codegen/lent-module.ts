import type { AliasedType } from "@bare-ts/tools"
import { parseSchemaAst, resolved, typeScriptType, unionMemberType } from "./bare-ast.ts"
import { type ReaderScope, reader, usedRuntimeReaders } from "./codec-module.ts"
import { HelperNames } from "./helper-names.ts"
import { runtimeImport } from "./runtime-import.ts"

const INDENT = "    "

/**
 * `gen/vN/lent.ts`: the readers the versioned decode uses for version N bytes when a later step's
 * upgrades copy out of `lent` data types (see lending.ts). They read a lent type as a view of the
 * input (`lendFixedData`) and every other value exactly as `codec.ts` does, with its readers and
 * the same errors; `holders` are the named types a view can sit in, each declared here with the
 * view in place of the `ArrayBuffer`. Not exported by the version's facade: only the versioned
 * decode, which never lets a view out, reads with these.
 */
export function emitLentModule(
  source: string,
  schemaPath: string,
  lent: readonly string[],
  holders: ReadonlySet<string>,
): string {
  const ast = parseSchemaAst(source, schemaPath)
  const qualify = (name: string) => (holders.has(name) ? name : `codec.${name}`)
  const scope: ReaderScope = {
    readNamed: (name) => {
      if (lent.includes(name)) {
        const def = ast.byName.get(name)
        const data = def === undefined ? undefined : resolved(def.type, ast)
        if (data?.tag !== "data" || data.data === null) throw new Error(`${name} is not data[N]`)
        return `lendFixedData(bc, ${data.data.val})`
      }
      return holders.has(name) ? `read${name}(bc)` : `codec.read${name}(bc)`
    },
    qualify,
  }
  const helpers = new HelperNames()
  const body: string[] = []
  for (const def of ast.defs) {
    if (!holders.has(def.alias)) continue
    if (lent.includes(def.alias)) {
      body.push(
        `/** \`codec.${def.alias}\` or, as these readers lend it, a view of the input. */`,
        `export type ${def.alias} = ArrayBuffer | Uint8Array`,
        "",
      )
      continue
    }
    body.push(...declaration(def, qualify), "", ...reader(def, ast, helpers, scope), "")
  }
  const helperCode = helpers.emitted.flatMap((helper) => [...helper, ""])
  const code = [...helperCode, ...body].join("\n").trimEnd()
  return [
    runtimeImport(["bare", ...usedRuntimeReaders(code)]),
    'import * as codec from "./codec.js"',
    "",
    code,
    "",
  ].join("\n")
}

function declaration(def: AliasedType, qualify: (name: string) => string): string[] {
  const type = def.type
  switch (type.tag) {
    case "struct":
      return [
        `export type ${def.alias} = {`,
        ...type.data.map(
          (field, i) =>
            `${INDENT}readonly ${field.name}: ${typeScriptType(type.types[i]!, qualify)}`,
        ),
        "}",
      ]
    case "union":
      return [
        `export type ${def.alias} =`,
        ...type.types.map((member) => `${INDENT}| ${unionMemberType(member, qualify)}`),
      ]
    default:
      return [`export type ${def.alias} = ${typeScriptType(type, qualify)}`]
  }
}
