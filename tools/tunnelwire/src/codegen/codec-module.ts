import type { AliasedType, Type } from "@bare-ts/tools"
import {
  docComment,
  memberName,
  minEncodedSize,
  NUMERIC_ALIASES,
  parseSchemaAst,
  resolved,
  type SchemaAst,
  typeScriptType,
  unionMemberType,
} from "./bare-ast.ts"
import { HelperNames } from "./helper-names.ts"
import { runtimeImport } from "./runtime-import.ts"

const INDENT = "    "

/** How reader code names what it reads: the codec module's own readers, or another module's. */
export interface ReaderScope {
  /** An expression reading named type `name` from `bc`. */
  readonly readNamed: (name: string) => string
  /** How a TypeScript type refers to named type (or numeric alias) `name`. */
  readonly qualify: (name: string) => string
}

const CODEC_SCOPE: ReaderScope = { readNamed: (name) => `read${name}(bc)`, qualify: (n) => n }

/**
 * `gen/vN/codec.ts`: the types of one schema version, a reader for each named type, and the
 * low-level `writeX(cursor, value)` over the encoder module's two passes. The readers refuse
 * hostile input with a `BareError` at the offending byte:
 * - every list and map length is checked against the bytes left before anything is allocated;
 * - strings and data are read by runtime readers that report a bad length prefix or bad UTF-8
 *   at the byte where it starts (bare-ts can report a point before the message);
 * - a map repeating a key, an unknown union tag or enum value, a bool that is not 0 or 1.
 */
export function emitCodecModule(source: string, schemaPath: string): string {
  const ast = parseSchemaAst(source, schemaPath)
  const helpers = new HelperNames()
  const body: string[] = []
  for (const def of ast.defs) {
    body.push(...declaration(def), "")
    if (resolved(def.type, ast).tag === "void") continue
    body.push(...reader(def, ast, helpers, CODEC_SCOPE), "", ...writer(def), "")
  }
  const helperCode = helpers.emitted.flatMap((helper) => [...helper, ""])
  const code = [...helperCode, ...body].join("\n")
  const runtime = usedRuntimeReaders(code)
  const encoders = ast.defs
    .filter((def) => resolved(def.type, ast).tag !== "void")
    .flatMap((def) => [`put${def.alias}`, `size${def.alias}`])
    .sort()
  const numericAliases = Object.keys(NUMERIC_ALIASES)
    .filter((name) => new RegExp(`\\b${name}\\b`).test(code))
    .sort()
  return [
    runtimeImport(["bare", ...runtime, "writeValue"]),
    `import { ${encoders.join(", ")} } from "./encoders.js"`,
    'import { schema } from "./schema.js"',
    "",
    ...numericAliases.map((name) => `export type ${name} = ${NUMERIC_ALIASES[name]}`),
    "",
    code.trimEnd(),
    "",
  ].join("\n")
}

const RUNTIME_READERS = [
  "lendFixedData",
  "readBool",
  "readCollectionLength",
  "readF32",
  "readF64",
  "readFixedData",
  "readI16",
  "readI32",
  "readI64",
  "readI8",
  "readLengthPrefixedData",
  "readLengthPrefixedString",
  "readU16",
  "readU32",
  "readU64",
  "readU8",
]

/** The runtime readers `code` calls, to import. */
export function usedRuntimeReaders(code: string): string[] {
  return RUNTIME_READERS.filter((name) => new RegExp(`(?<![.\\w])${name}\\(`).test(code))
}

function declaration(def: AliasedType): string[] {
  const doc = docComment(def.comment, "")
  const type = def.type
  switch (type.tag) {
    case "struct":
      return [
        ...doc,
        `export type ${def.alias} = {`,
        ...type.data.flatMap((field, i) => [
          ...docComment(field.comment, INDENT),
          `${INDENT}readonly ${field.name}: ${typeScriptType(type.types[i]!)}`,
        ]),
        "}",
      ]
    case "union":
      return [
        ...doc,
        `export type ${def.alias} =`,
        ...type.types.map((member) => `${INDENT}| ${unionMemberType(member)}`),
      ]
    case "enum":
      return [
        ...doc,
        `export enum ${def.alias} {`,
        ...type.data.flatMap((value) => [
          ...docComment(value.comment, INDENT),
          `${INDENT}${value.name} = ${JSON.stringify(value.name)},`,
        ]),
        "}",
      ]
    default:
      return [...doc, `export type ${def.alias} = ${typeScriptType(type)}`]
  }
}

/** `export function readX(bc)`: named type `def` read in `scope`, returning the scope's `X`. */
export function reader(
  def: AliasedType,
  ast: SchemaAst,
  helpers: HelperNames,
  scope: ReaderScope,
): string[] {
  return [
    `export function read${def.alias}(bc: bare.ByteCursor): ${def.alias} {`,
    ...readBody(def.type, def.alias, ast, helpers, scope).map((line) => INDENT + line),
    "}",
  ]
}

function writer(def: AliasedType): string[] {
  return [
    `export function write${def.alias}(bc: bare.ByteCursor, x: ${def.alias}): void {`,
    `${INDENT}writeValue(bc, x, size${def.alias}, put${def.alias}, schema, ${JSON.stringify(def.alias)})`,
    "}",
  ]
}

/** Statements returning a `typeName` read from `bc`. */
function readBody(
  type: Type,
  typeName: string,
  ast: SchemaAst,
  helpers: HelperNames,
  scope: ReaderScope,
): string[] {
  switch (type.tag) {
    case "struct":
      return [
        "return {",
        ...type.data.map(
          (field, i) =>
            `${INDENT}${field.name}: ${readExpression(type.types[i]!, ast, helpers, scope)},`,
        ),
        "}",
      ]
    case "union":
      return tagSwitch(
        type.data.map((tag, i) => {
          const member = type.types[i]!
          const val =
            resolved(member, ast).tag === "void"
              ? "null"
              : readExpression(member, ast, helpers, scope)
          return [tag.val, `return { tag: ${JSON.stringify(memberName(member))}, val: ${val} }`]
        }),
      )
    case "enum":
      return tagSwitch(type.data.map((value) => [value.val, `return ${typeName}.${value.name}`]))
    case "optional":
      return [`return readBool(bc) ? ${readExpression(type.types[0], ast, helpers, scope)} : null`]
    case "list":
      return listBody(type, ast, helpers, scope)
    case "map":
      return mapBody(type, ast, helpers, scope)
    default:
      return [`return ${readExpression(type, ast, helpers, scope)}`]
  }
}

function tagSwitch(cases: readonly (readonly [number, string])[]): string[] {
  const wide = cases.some(([tag]) => tag > 0x7f)
  return [
    "const offset = bc.offset",
    `const tag = ${wide ? "bare.readUintSafe(bc)" : "readU8(bc)"}`,
    "switch (tag) {",
    ...cases.flatMap(([tag, statement]) => [
      `${INDENT}case ${tag}:`,
      `${INDENT}${INDENT}${statement}`,
    ]),
    `${INDENT}default: {`,
    `${INDENT}${INDENT}bc.offset = offset`,
    `${INDENT}${INDENT}throw new bare.BareError(offset, "invalid tag")`,
    `${INDENT}}`,
    "}",
  ]
}

function listBody(
  type: Extract<Type, { tag: "list" }>,
  ast: SchemaAst,
  helpers: HelperNames,
  scope: ReaderScope,
): string[] {
  const item = readExpression(type.types[0], ast, helpers, scope)
  const fill = [
    `const result = [${item}]`,
    `for (let i = 1; i < len; i++) {`,
    `${INDENT}result[i] = ${item}`,
    "}",
    "return result",
  ]
  if (type.data !== null) {
    // A fixed length is at least 1 (bare-ts refuses 0).
    return [`const len = ${type.data.val}`, ...fill]
  }
  return [
    `const len = readCollectionLength(bc, ${minEncodedSize(type.types[0], ast)})`,
    "if (len === 0) {",
    `${INDENT}return []`,
    "}",
    ...fill,
  ]
}

function mapBody(
  type: Extract<Type, { tag: "map" }>,
  ast: SchemaAst,
  helpers: HelperNames,
  scope: ReaderScope,
): string[] {
  const [keyType, valueType] = type.types
  const entrySize = minEncodedSize(keyType, ast) + minEncodedSize(valueType, ast)
  return [
    `const len = readCollectionLength(bc, ${entrySize})`,
    `const result = new Map<${typeScriptType(keyType, scope.qualify)}, ${typeScriptType(valueType, scope.qualify)}>()`,
    "for (let i = 0; i < len; i++) {",
    `${INDENT}const offset = bc.offset`,
    `${INDENT}const key = ${readExpression(keyType, ast, helpers, scope)}`,
    `${INDENT}if (result.has(key)) {`,
    `${INDENT}${INDENT}bc.offset = offset`,
    `${INDENT}${INDENT}throw new bare.BareError(offset, "duplicated key")`,
    `${INDENT}}`,
    `${INDENT}result.set(key, ${readExpression(valueType, ast, helpers, scope)})`,
    "}",
    "return result",
  ]
}

const PRIMITIVE_READERS: Readonly<Record<string, string>> = {
  bool: "readBool(bc)",
  u8: "readU8(bc)",
  u16: "readU16(bc)",
  u32: "readU32(bc)",
  u64: "readU64(bc)",
  i8: "readI8(bc)",
  i16: "readI16(bc)",
  i32: "readI32(bc)",
  i64: "readI64(bc)",
  f32: "readF32(bc)",
  f64: "readF64(bc)",
  str: "readLengthPrefixedString(bc)",
  void: "null",
}

/** An expression reading one `type` from `bc`; compound inline types get a helper function. */
function readExpression(
  type: Type,
  ast: SchemaAst,
  helpers: HelperNames,
  scope: ReaderScope,
): string {
  if (type.tag === "alias") return scope.readNamed(type.data)
  if (type.tag === "data") {
    return type.data === null ? "readLengthPrefixedData(bc)" : `readFixedData(bc, ${type.data.val})`
  }
  const primitive = PRIMITIVE_READERS[type.tag]
  if (primitive !== undefined) return primitive
  const name = helpers.nameFor("read", type, (helperName) => [
    `function ${helperName}(bc: bare.ByteCursor): ${typeScriptType(type, scope.qualify)} {`,
    ...readBody(type, "", ast, helpers, scope).map((line) => INDENT + line),
    "}",
  ])
  return `${name}(bc)`
}
