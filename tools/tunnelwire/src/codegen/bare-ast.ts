import { type AliasedType, type Ast, Config, configure, parse, type Type } from "@bare-ts/tools"

/** The schema as bare-ts parses and checks it: named types in schema order, inline types nested. */
export interface SchemaAst {
  readonly defs: readonly AliasedType[]
  readonly byName: ReadonlyMap<string, AliasedType>
}

export function parseSchemaAst(source: string, schemaPath: string): SchemaAst {
  // `legacy` only lets a type be used before its definition (parseSchema has already checked the
  // schema without legacy syntax); the generated code is the same.
  const config = Config({ generator: "ts", lib: true, legacy: true, schema: schemaPath })
  const ast: Ast = configure(parse(source, config), config)
  for (const def of ast.defs) refuseUnsupported(def.type, `${schemaPath}: type ${def.alias}`)
  return { defs: ast.defs, byName: new Map(ast.defs.map((def) => [def.alias, def])) }
}

/**
 * Variable-length integers would be bigints with a varint encoding that no protocol version
 * uses; they are refused rather than generated untested.
 */
function refuseUnsupported(type: Type, where: string): void {
  if (type.tag === "uint" || type.tag === "int") {
    throw new Error(`${where}: tunnelwire does not generate codecs for ${type.tag} yet`)
  }
  if (type.tag === "union") {
    for (const member of type.types) {
      if (member.tag !== "alias") {
        throw new Error(`${where}: union members must be named types`)
      }
    }
  }
  for (const inner of type.types ?? []) refuseUnsupported(inner, where)
}

/** The fixed-width numeric types, declared as aliases (`export type u32 = number`). */
export const NUMERIC_ALIASES: Readonly<Record<string, "number" | "bigint">> = {
  u8: "number",
  u16: "number",
  u32: "number",
  u64: "bigint",
  i8: "number",
  i16: "number",
  i32: "number",
  i64: "bigint",
  f32: "number",
  f64: "number",
}

/**
 * The TypeScript type of a wire type, as bare-ts writes it; `qualify` prefixes the names the
 * codec module declares, for code that imports them.
 */
export function typeScriptType(type: Type, qualify: (name: string) => string = (n) => n): string {
  const inner = (t: Type) => typeScriptType(t, qualify)
  switch (type.tag) {
    case "alias":
      return qualify(type.data)
    case "bool":
      return "boolean"
    case "str":
      return "string"
    case "data":
      return "ArrayBuffer"
    case "void":
      return "null"
    case "optional":
      return `${inner(type.types[0])} | null`
    case "list": {
      const item = inner(type.types[0])
      const parenthesized = type.types[0].tag === "optional" || type.types[0].tag === "union"
      return `readonly ${parenthesized ? `(${item})` : item}[]`
    }
    case "map":
      return `ReadonlyMap<${inner(type.types[0])}, ${inner(type.types[1])}>`
    case "struct":
      return `{ ${type.data.map((f, i) => `readonly ${f.name}: ${inner(type.types[i]!)}`).join("; ")} }`
    case "union":
      return type.types.map((member) => unionMemberType(member, qualify)).join(" | ")
    case "enum":
      throw new Error("an enum must be a named type")
    default:
      return type.tag in NUMERIC_ALIASES ? qualify(type.tag) : type.tag
  }
}

export function unionMemberType(
  member: Type,
  qualify: (name: string) => string = (n) => n,
): string {
  return `{ readonly tag: ${JSON.stringify(memberName(member))}; readonly val: ${typeScriptType(member, qualify)} }`
}

/** The `tag` property of a union member's value: its type's name. */
export function memberName(member: Type): string {
  if (member.tag !== "alias") throw new Error("union members must be named types")
  return member.data
}

/** The type a (chain of) alias(es) finally stands for. */
export function resolved(type: Type, ast: SchemaAst): Type {
  let current = type
  while (current.tag === "alias") {
    const target = ast.byName.get(current.data)
    if (target === undefined) throw new Error(`unknown type ${current.data}`)
    current = target.type
  }
  return current
}

/** The fewest bytes a value of `type` can take on the wire. */
export function minEncodedSize(type: Type, ast: SchemaAst): number {
  switch (type.tag) {
    case "alias":
      return minEncodedSize(resolved(type, ast), ast)
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
      return type.data === null ? 1 : type.data.val * minEncodedSize(type.types[0], ast)
    case "struct":
      return type.types.reduce((sum, field) => sum + minEncodedSize(field, ast), 0)
    default:
      // str, enum, union, optional, map: at least one varint, tag or flag byte
      return 1
  }
}

/** A schema comment as a doc comment, indented by `indent`. */
export function docComment(comment: string, indent: string): string[] {
  if (comment === "") return []
  const lines = comment.replace(/\n$/, "").split("\n")
  return [
    `${indent}/**`,
    ...lines.map(
      (line) => `${indent} *${line === "" ? "" : line.startsWith(" ") ? line : ` ${line}`}`,
    ),
    `${indent} */`,
  ]
}
