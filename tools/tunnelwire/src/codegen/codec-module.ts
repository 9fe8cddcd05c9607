import {
  type AliasedType,
  type Ast,
  Config,
  configure,
  normalize,
  parse,
  type Type,
  transform,
} from "@bare-ts/tools"
import { generatedHeader } from "./generated-header.ts"

const NODE_ASSERT_IMPORT = 'import assert from "node:assert/strict"\n'
// In a named fixed-length type's writer (`x`), on a struct field (`x.value`) or on a list item.
const FIXED_LENGTH_ASSERT = /\bassert\((x(?:\.\w+|\[i\])?)\.byteLength === (\d+)\)/g
const COLLECTION_LENGTH_READ = "const len = bare.readUintSafe(bc)"

/**
 * The bare-ts output for one schema (types, readers and writers), made safe for browsers and for
 * hostile input:
 * - the `node:assert` check on fixed-length data becomes a typed `EncodeError`;
 * - every list and map length is checked against the bytes left before anything is allocated;
 * - strings and data are read by runtime readers that report a bad length prefix or bad UTF-8
 *   at the byte where it starts (bare-ts can report a point before the message);
 * - list items are read as `x[i]!`, so the output compiles under `noUncheckedIndexedAccess`;
 * - integers and strings taken from the value are range- and well-formedness-checked on write.
 */
export function emitCodecModule(source: string, schemaPath: string): string {
  // `legacy` only lets a type be used before its definition (the schema was parsed, without
  // legacy syntax, and checked by parseSchema); the generated code is the same.
  const config = Config({ generator: "ts", lib: true, legacy: true, schema: schemaPath })
  let code = transform(source, config)
  const hasFixedData = code.includes(NODE_ASSERT_IMPORT)
  code = code.replace(NODE_ASSERT_IMPORT, "")
  code = checkFixedLengths(code)
  if (/\bassert\(/.test(code)) {
    throw new Error(
      `${schemaPath}: bare-ts emitted an assertion tunnelwire does not know how to map`,
    )
  }
  code = boundCollectionLengths(code, parse(source, config), config)
  code = code.replace(/\bbare\.readString\(bc\)/g, "readLengthPrefixedString(bc)")
  code = code.replace(/\bbare\.readData\(bc\)/g, "readLengthPrefixedData(bc)")
  code = code.replace(/\(bc, x\[i\]\)/g, "(bc, x[i]!)")
  code = checkWrittenValues(code)
  const imports: string[] = []
  if (hasFixedData) imports.push("checkFixedLength")
  if (code.includes("readCollectionLength(")) imports.push("readCollectionLength")
  const writeChecks = [...new Set(code.match(/\bcheckedWrite\w+(?=\()/g) ?? [])].sort()
  if (code.includes("readLengthPrefixedData(")) imports.push("readLengthPrefixedData")
  if (code.includes("readLengthPrefixedString(")) imports.push("readLengthPrefixedString")
  const runtimeImport =
    imports.length > 0
      ? `import { ${imports.join(", ")} } from "../../runtime/codec-checks.js"\n`
      : ""
  const writeChecksImport =
    writeChecks.length > 0
      ? `import { ${writeChecks.join(", ")} } from "../../runtime/write-checks.js"\n`
      : ""
  return `${generatedHeader(schemaPath)}${runtimeImport}${writeChecksImport}${code}`
}

const WRITER = /(function write(\w+)\(bc: bare\.ByteCursor, x: [^)]*\): void \{)([\s\S]*?\n\})/g
const UNCHECKED_WRITE = /\bbare\.write(U8|U16|U32|U64|I64|String)\(bc, (x(?:\.\w+)?)\)/g

/**
 * Routes every integer and string a writer takes from the value (not union tags, which are
 * literals) through the range- and well-formedness-checked writers, labelled `Type.field`.
 */
function checkWrittenValues(code: string): string {
  return code.replace(WRITER, (_match, head: string, name: string, body: string) => {
    const typeName = /^\d+$/.test(name) ? "(inline type)" : name
    return (
      head +
      body.replace(UNCHECKED_WRITE, (_write, kind: string, value: string) => {
        const where = value === "x" ? typeName : `${typeName}.${value.slice(2)}`
        return `checkedWrite${kind}(bc, ${value}, ${JSON.stringify(where)})`
      })
    )
  })
}

function checkFixedLengths(code: string): string {
  return code.replace(WRITER, (_match, head: string, name: string, body: string) => {
    const typeName = /^\d+$/.test(name) ? "(inline type)" : name
    return (
      head +
      body.replace(FIXED_LENGTH_ASSERT, (_assert, value: string, length: string) => {
        const where = value.startsWith("x.") ? `${typeName}.${value.slice(2)}` : typeName
        const checked = value === "x[i]" ? "x[i]!" : value
        return `checkFixedLength(${checked}, ${length}, ${JSON.stringify(where)})`
      })
    )
  })
}

function boundCollectionLengths(code: string, ast: Ast, config: Config): string {
  const normalized = normalize(configure(ast, config))
  const symbols = new Map(normalized.defs.map((def) => [def.alias, def]))
  let result = code
  for (const def of normalized.defs) {
    if (def.type.tag !== "list" && def.type.tag !== "map") continue
    if (def.type.data !== null) continue // fixed-length lists carry no length prefix
    const entrySize =
      def.type.tag === "list"
        ? minEncodedSize(def.type.types[0], symbols)
        : minEncodedSize(def.type.types[0], symbols) + minEncodedSize(def.type.types[1], symbols)
    const start = result.indexOf(`function read${def.alias}(bc: bare.ByteCursor)`)
    const end = result.indexOf("\n}\n", start)
    const read = result.indexOf(COLLECTION_LENGTH_READ, start)
    if (start === -1 || read === -1 || read > end) {
      throw new Error(`bare-ts output has no length read for collection ${def.alias}`)
    }
    result =
      result.slice(0, read) +
      `const len = readCollectionLength(bc, ${entrySize})` +
      result.slice(read + COLLECTION_LENGTH_READ.length)
  }
  return result
}

/** The fewest bytes a value of `type` can take on the wire. */
export function minEncodedSize(type: Type, symbols: ReadonlyMap<string, AliasedType>): number {
  switch (type.tag) {
    case "alias": {
      const target = symbols.get(type.data)
      if (target === undefined) throw new Error(`unknown type ${type.data}`)
      return minEncodedSize(target.type, symbols)
    }
    case "void":
      return 0
    case "bool":
    case "u8":
    case "i8":
      return 1
    case "u16":
    case "i16":
      return 2
    case "u32":
    case "i32":
    case "f32":
      return 4
    case "u64":
    case "i64":
    case "f64":
      return 8
    case "data":
      return type.data === null ? 1 : type.data.val
    case "list":
      return type.data === null ? 1 : type.data.val * minEncodedSize(type.types[0], symbols)
    case "struct":
      return type.types.reduce((sum, field) => sum + minEncodedSize(field, symbols), 0)
    case "union":
      return 1
    default:
      // uint, int, str, enum, optional, map: at least one varint or tag byte
      return 1
  }
}
