import { type Ast, CompilerError, Config, parse, type Type, transform } from "@bare-ts/tools"
import type { PrimitiveKind, SchemaDescriptor, SourcePosition, TypeDescriptor } from "./model.ts"
import { propertyName, withPropertyNames } from "./property-names.ts"
import { SchemaSyntaxError } from "./schema-error.ts"

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveKind>([
  "bool",
  "u8",
  "u16",
  "u32",
  "u64",
  "uint",
  "i8",
  "i16",
  "i32",
  "i64",
  "int",
  "f32",
  "f64",
  "str",
  "void",
])

export interface ParsedSchema {
  readonly file: string
  readonly source: string
  /** The source bare-ts generates code from: struct fields named as their TypeScript properties. */
  readonly generatorSource: string
  readonly ast: Ast
  readonly descriptor: SchemaDescriptor
  /**
   * Declaration position of every named type, and of its parts: struct fields, union members
   * and enum values, each keyed `Type.part` (a union member by its name or, if inline, its tag).
   */
  readonly positions: ReadonlyMap<string, SourcePosition>
}

/**
 * Parses one `vN.bare` file into its AST and its descriptor, and runs bare-ts's semantic checks
 * on it, so that `check` accepts exactly the schemas `gen` can generate code for. Throws
 * `SchemaSyntaxError` at the file, line and column of the first problem.
 */
export function parseSchema(source: string, file: string, version: number): ParsedSchema {
  const toPosition = offsetToPosition(source, file)
  let ast: Ast
  try {
    // The file name stays out of bare-ts, which wants it to end in .bare: positions carry it.
    ast = parse(source, Config({}))
  } catch (error) {
    if (error instanceof CompilerError)
      throw new SchemaSyntaxError(toPosition(error.offset), error.message)
    throw error
  }
  const generator = withPropertyNames(source, ast)
  try {
    // bare-ts's semantic checks, as gen runs them: `legacy` allows a type to be used before its
    // definition (and checks that recursive types are finite instead); the syntax was parsed
    // without legacy forms above.
    transform(generator.source, Config({ generator: "bare", legacy: true }))
  } catch (error) {
    if (!(error instanceof CompilerError)) throw error
    throw new SchemaSyntaxError(toPosition(generator.originalOffset(error.offset)), error.message)
  }
  const types: Record<string, TypeDescriptor> = {}
  const positions = new Map<string, SourcePosition>()
  for (const def of ast.defs) {
    types[def.alias] = describe(def.type)
    positions.set(def.alias, toPosition(def.offset))
    if (def.type.tag === "struct") {
      for (const field of def.type.data) {
        positions.set(`${def.alias}.${propertyName(field.name)}`, toPosition(field.offset))
      }
    }
    if (def.type.tag === "union") {
      const { data: members, types: memberTypes } = def.type
      members.forEach((member, i) => {
        const memberType = memberTypes[i]!
        const name = memberType.tag === "alias" ? memberType.data : String(member.val)
        positions.set(`${def.alias}.${name}`, toPosition(memberType.offset))
      })
    }
    if (def.type.tag === "enum") {
      for (const value of def.type.data) {
        positions.set(`${def.alias}.${value.name}`, toPosition(value.offset))
      }
    }
  }
  return {
    file,
    source,
    generatorSource: generator.source,
    ast,
    descriptor: { version, roots: findRoots(ast), types },
    positions,
  }
}

function describe(type: Type): TypeDescriptor {
  switch (type.tag) {
    case "alias":
      return { kind: "ref", name: type.data }
    case "data":
      return type.data === null ? { kind: "data" } : { kind: "data", length: type.data.val }
    case "optional":
      return { kind: "optional", of: describe(type.types[0]) }
    case "list":
      return type.data === null
        ? { kind: "list", of: describe(type.types[0]) }
        : { kind: "list", of: describe(type.types[0]), length: type.data.val }
    case "map":
      return { kind: "map", key: describe(type.types[0]), value: describe(type.types[1]) }
    case "struct":
      return {
        kind: "struct",
        fields: type.data.map((field, i) => ({
          name: propertyName(field.name),
          type: describe(type.types[i]!),
        })),
      }
    case "union":
      return {
        kind: "union",
        members: type.data.map((member, i) => {
          const memberType = type.types[i]!
          return {
            tag: member.val,
            // Mirrors bare-ts: a member that names a type is tagged by that name.
            name: memberType.tag === "alias" ? memberType.data : member.val,
            type: describe(memberType),
          }
        }),
      }
    case "enum":
      return { kind: "enum", values: type.data.map((v) => ({ name: v.name, value: v.val })) }
    default:
      if (PRIMITIVES.has(type.tag)) return { kind: type.tag as PrimitiveKind }
      throw new Error(`unsupported BARE type "${type.tag}"`)
  }
}

/** Root types are the non-void types that no other type refers to, as bare-ts decides. */
function findRoots(ast: Ast): string[] {
  const referenced = new Set<string>()
  const visit = (type: Type): void => {
    if (type.tag === "alias") referenced.add(type.data)
    for (const child of type.types ?? []) visit(child)
  }
  for (const def of ast.defs) visit(def.type)
  return ast.defs
    .filter((def) => !referenced.has(def.alias) && def.type.tag !== "void")
    .map((def) => def.alias)
}

function offsetToPosition(source: string, file: string): (offset: number) => SourcePosition {
  const lineStarts = [0]
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1)
  return (offset) => {
    let line = lineStarts.length - 1
    while (line > 0 && lineStarts[line]! > offset) line--
    return { file, line: line + 1, column: offset - lineStarts[line]! + 1 }
  }
}
