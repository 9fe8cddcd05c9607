import type { AliasedType, Type } from "@bare-ts/tools"
import { memberName, parseSchemaAst, resolved, type SchemaAst, typeScriptType } from "./bare-ast.ts"
import { HelperNames } from "./helper-names.ts"
import { runtimeImport } from "./runtime-import.ts"

const INDENT = "    "

/**
 * `gen/vN/encoders.ts`: for each named type, the two passes of its encoder. `sizeX(value)`
 * checks every value against its wire type (integer ranges, string well-formedness, data
 * lengths, enum values, union tags, JS types, missing fields) and returns the exact encoded
 * length, or throws the runtime's `INVALID`; `putX(bytes, offset, value)` then writes a value
 * `sizeX` accepted and returns the offset after it, without a check or a bounds test.
 */
export function emitEncoderModule(source: string, schemaPath: string): string {
  const ast = parseSchemaAst(source, schemaPath)
  const helpers = new HelperNames()
  const context: Context = { ast, helpers }
  const named = ast.defs.filter((def) => resolved(def.type, ast).tag !== "void")
  const body = named.flatMap((def) => [
    ...sizeFunction(def, context),
    "",
    ...putFunction(def, context),
    "",
  ])
  const code = [...helpers.emitted.flatMap((helper) => [...helper, ""]), ...body].join("\n")
  const runtime = [
    "invalid",
    "putData",
    "putF32",
    "putF64",
    "putFixedData",
    "putI64",
    "putString",
    "putU64",
    "putVarint",
    "sizeData",
    "sizeFixedData",
    "sizeI64",
    "sizeString",
    "sizeU64",
    "varintSize",
  ].filter((name) => new RegExp(`\\b${name}\\(`).test(code))
  const types = [...new Set(code.match(/\bt\.\w+/g) ?? [])]
  return [
    runtimeImport(runtime),
    ...(types.length > 0 ? ['import type * as t from "./codec.js"'] : []),
    "",
    code.trimEnd(),
    "",
  ].join("\n")
}

interface Context {
  readonly ast: SchemaAst
  readonly helpers: HelperNames
}

function sizeFunction(def: AliasedType, context: Context): string[] {
  return [
    `export function size${def.alias}(x: t.${def.alias}): number {`,
    ...sizeBody(def.type, context).map((line) => INDENT + line),
    "}",
  ]
}

function putFunction(def: AliasedType, context: Context): string[] {
  return [
    `export function put${def.alias}(b: Uint8Array, o: number, x: t.${def.alias}): number {`,
    ...putBody(def.type, context).map((line) => INDENT + line),
    "}",
  ]
}

const OBJECT_CHECK = 'if (typeof x !== "object" || x === null) invalid()'

function sizeBody(type: Type, context: Context): string[] {
  switch (type.tag) {
    case "struct": {
      const terms = type.data.map((field, i) =>
        sizeExpression(type.types[i]!, `x.${field.name}`, context),
      )
      return [
        OBJECT_CHECK,
        `return ${terms.length === 0 ? "0" : terms.join(` +\n${INDENT}${INDENT}`)}`,
      ]
    }
    case "union":
      return [
        OBJECT_CHECK,
        "switch (x.tag) {",
        ...type.types.flatMap((member, i) => [
          `${INDENT}case ${JSON.stringify(memberName(member))}:`,
          `${INDENT}${INDENT}return ${varintBytes(type.data[i]!.val).length} + ${sizeExpression(member, "x.val", context)}`,
        ]),
        `${INDENT}default:`,
        `${INDENT}${INDENT}return invalid()`,
        "}",
      ]
    case "enum":
      return [
        "switch (x as string) {",
        ...type.data.flatMap((value) => [
          `${INDENT}case ${JSON.stringify(value.name)}:`,
          `${INDENT}${INDENT}return ${varintBytes(value.val).length}`,
        ]),
        `${INDENT}default:`,
        `${INDENT}${INDENT}return invalid()`,
        "}",
      ]
    case "optional":
      return [`return x === null ? 1 : 1 + ${sizeExpression(type.types[0], "x", context)}`]
    case "list": {
      const fixed = type.data?.val
      return [
        "if (!Array.isArray(x)) invalid()",
        ...(fixed === undefined
          ? ["let size = varintSize(x.length)"]
          : [`if (x.length !== ${fixed}) invalid()`, "let size = 0"]),
        "for (let i = 0; i < x.length; i++) {",
        `${INDENT}const item = x[i]!`,
        `${INDENT}size += ${sizeExpression(type.types[0], "item", context)}`,
        "}",
        "return size",
      ]
    }
    case "map":
      return [
        "if (!(x instanceof Map)) invalid()",
        "let size = varintSize(x.size)",
        "for (const [key, value] of x) {",
        `${INDENT}size += ${sizeExpression(type.types[0], "key", context)} + ${sizeExpression(type.types[1], "value", context)}`,
        "}",
        "return size",
      ]
    default:
      return [`return ${sizeExpression(type, "x", context)}`]
  }
}

function putBody(type: Type, context: Context): string[] {
  switch (type.tag) {
    case "struct":
      return [
        ...type.data.flatMap((field, i) =>
          putStatements(type.types[i]!, `x.${field.name}`, context),
        ),
        "return o",
      ]
    case "union":
      return [
        "switch (x.tag) {",
        ...type.types.flatMap((member, i) => [
          `${INDENT}case ${JSON.stringify(memberName(member))}:`,
          ...[...tagStatements(type.data[i]!.val), ...putStatements(member, "x.val", context)].map(
            (line) => `${INDENT}${INDENT}${line}`,
          ),
          `${INDENT}${INDENT}break`,
        ]),
        "}",
        "return o",
      ]
    case "enum":
      return [
        "switch (x as string) {",
        ...type.data.flatMap((value) => [
          `${INDENT}case ${JSON.stringify(value.name)}:`,
          ...tagStatements(value.val).map((line) => `${INDENT}${INDENT}${line}`),
          `${INDENT}${INDENT}break`,
        ]),
        "}",
        "return o",
      ]
    case "optional":
      return [
        "if (x === null) {",
        `${INDENT}b[o] = 0`,
        `${INDENT}return o + 1`,
        "}",
        "b[o++] = 1",
        ...putStatements(type.types[0], "x", context),
        "return o",
      ]
    case "list":
      return [
        ...(type.data === null ? ["o = putVarint(b, o, x.length)"] : []),
        "for (let i = 0; i < x.length; i++) {",
        `${INDENT}const item = x[i]!`,
        ...putStatements(type.types[0], "item", context).map((line) => INDENT + line),
        "}",
        "return o",
      ]
    case "map":
      return [
        "o = putVarint(b, o, x.size)",
        "for (const [key, value] of x) {",
        ...[
          ...putStatements(type.types[0], "key", context),
          ...putStatements(type.types[1], "value", context),
        ].map((line) => INDENT + line),
        "}",
        "return o",
      ]
    default:
      return [...putStatements(type, "x", context), "return o"]
  }
}

/** The bytes of a union tag or enum value, written as literals. */
function tagStatements(tag: number): string[] {
  return varintBytes(tag).map((byte) => `b[o++] = ${byte}`)
}

function varintBytes(value: number): number[] {
  const bytes: number[] = []
  let rest = value
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return bytes
}

/** Checks of integers held in a `number`: true only for an integer in the type's range. */
const NUMBER_CHECKS: Readonly<Record<string, [check: (e: string) => string, size: number]>> = {
  u8: [(e) => `(${e} & 0xff) === ${e}`, 1],
  u16: [(e) => `(${e} & 0xffff) === ${e}`, 2],
  u32: [(e) => `${e} >>> 0 === ${e}`, 4],
  i8: [(e) => `(${e} << 24) >> 24 === ${e}`, 1],
  i16: [(e) => `(${e} << 16) >> 16 === ${e}`, 2],
  i32: [(e) => `(${e} | 0) === ${e}`, 4],
}

/** An expression checking `value` (a name or property read, safe to repeat) and giving its size. */
function sizeExpression(type: Type, value: string, context: Context): string {
  const integer = NUMBER_CHECKS[type.tag]
  if (integer !== undefined) {
    const [check, size] = integer
    return `(typeof ${value} === "number" && ${check(value)} ? ${size} : invalid())`
  }
  switch (type.tag) {
    case "alias":
      return resolved(type, context.ast).tag === "void"
        ? `(${value} == null ? 0 : invalid())`
        : `size${type.data}(${value})`
    case "bool":
      return `(${value} === true || ${value} === false ? 1 : invalid())`
    case "f32":
      return `(typeof ${value} === "number" ? 4 : invalid())`
    case "f64":
      return `(typeof ${value} === "number" ? 8 : invalid())`
    case "u64":
      return `sizeU64(${value})`
    case "i64":
      return `sizeI64(${value})`
    case "str":
      return `sizeString(${value})`
    case "data":
      return type.data === null ? `sizeData(${value})` : `sizeFixedData(${value}, ${type.data.val})`
    case "void":
      return `(${value} == null ? 0 : invalid())`
    default:
      return `${helper("size", type, context)}(${value})`
  }
}

/** Statements writing `value` at `o` into `b` and advancing `o`. */
function putStatements(type: Type, value: string, context: Context): string[] {
  switch (type.tag) {
    case "alias":
      return resolved(type, context.ast).tag === "void"
        ? []
        : [`o = put${type.data}(b, o, ${value})`]
    case "bool":
      return [`b[o++] = ${value} ? 1 : 0`]
    case "u8":
    case "i8":
      return [`b[o++] = ${value}`]
    case "u16":
    case "i16":
      return [`b[o++] = ${value}`, `b[o++] = ${value} >>> 8`]
    case "u32":
    case "i32":
      return [
        `b[o++] = ${value}`,
        `b[o++] = ${value} >>> 8`,
        `b[o++] = ${value} >>> 16`,
        `b[o++] = ${value} >>> 24`,
      ]
    case "u64":
      return [`o = putU64(b, o, ${value})`]
    case "i64":
      return [`o = putI64(b, o, ${value})`]
    case "f32":
      return [`o = putF32(b, o, ${value})`]
    case "f64":
      return [`o = putF64(b, o, ${value})`]
    case "str":
      return [`o = putString(b, o, ${value})`]
    case "data":
      return [`o = ${type.data === null ? "putData" : "putFixedData"}(b, o, ${value})`]
    case "void":
      return []
    default:
      return [`o = ${helper("put", type, context)}(b, o, ${value})`]
  }
}

function helper(purpose: "size" | "put", type: Type, context: Context): string {
  const valueType = typeScriptType(type, (name) => `t.${name}`)
  return context.helpers.nameFor(purpose, type, (name) =>
    purpose === "size"
      ? [
          `function ${name}(x: ${valueType}): number {`,
          ...sizeBody(type, context).map((line) => INDENT + line),
          "}",
        ]
      : [
          `function ${name}(b: Uint8Array, o: number, x: ${valueType}): number {`,
          ...putBody(type, context).map((line) => INDENT + line),
          "}",
        ],
  )
}
