import ts from "typescript"
import type { SourcePosition } from "../schema/model.ts"

export type Direction = "upgrade" | "downgrade"

/**
 * The exported list of fixed-size data types a module's upgrades only copy bytes out of, never
 * keep: the versioned decode may lend them as views of the bytes it reads (see lent-module.ts).
 */
export const COPIED_OUT_NAME = "upgradesCopyOutOf"

/** The exported object a hand-written module declares for each direction. */
export const TABLE_NAME: Readonly<Record<Direction, string>> = {
  upgrade: "upgrades",
  downgrade: "downgrades",
}

/**
 * The identifier a scaffolded converter stands on until someone writes it. It is declared
 * nowhere, so the module fails to compile while the hole is there.
 */
export function holeName(direction: Direction, type: string): string {
  return `unwritten${direction === "upgrade" ? "Upgrade" : "Downgrade"}${type}`
}

export interface WrittenConverter {
  readonly type: string
  readonly at: SourcePosition
  /** Still the scaffolded placeholder. */
  readonly hole: boolean
  /** Field names the converter passes to `ctx.loss({ field })`. */
  readonly reportedLosses: readonly string[]
  /** Property names the converter reads (`value.x`, `{ x } = …`): fields it carries somewhere. */
  readonly readProperties: readonly string[]
}

/** One `export const upgrades = { … }` (or `downgrades`) object literal. */
export interface ConverterTable {
  readonly at: SourcePosition
  readonly converters: ReadonlyMap<string, WrittenConverter>
  /** Offset of the closing `}`: where missing converters go. */
  readonly closingBrace: number
  /** Offset just past the last property, which needs a comma before anything is appended. */
  readonly lastPropertyEnd: number | undefined
  readonly hasTrailingComma: boolean
}

export interface HandWrittenModule {
  readonly file: string
  readonly source: string
  readonly tables: Readonly<Record<Direction, ConverterTable | undefined>>
  /** The type names `upgradesCopyOutOf` lists (none when the module declares no such list). */
  readonly upgradesCopyOutOf: readonly string[]
}

/** Reads which converters a hand-written `migrations/vA-to-vB.ts` declares, without running it. */
export function readHandWrittenModule(file: string, source: string): HandWrittenModule {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true)
  const position = (offset: number): SourcePosition => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(offset)
    return { file, line: line + 1, column: character + 1 }
  }
  const topLevel = topLevelDeclarations(sourceFile)
  const readTable = (direction: Direction): ConverterTable | undefined => {
    const literal = exportedObjectLiteral(sourceFile, TABLE_NAME[direction])
    if (literal === undefined) return undefined
    const converters = new Map<string, WrittenConverter>()
    for (const property of literal.properties) {
      const type = propertyName(property)
      if (type === undefined) continue
      const body = converterBody(property, topLevel)
      const hole =
        ts.isPropertyAssignment(property) &&
        ts.isIdentifier(property.initializer) &&
        property.initializer.text === holeName(direction, type)
      converters.set(type, {
        type,
        at: position(property.getStart(sourceFile)),
        hole,
        reportedLosses: body === undefined || hole ? [] : reportedLosses(body),
        readProperties: body === undefined || hole ? [] : readProperties(body),
      })
    }
    const last = literal.properties[literal.properties.length - 1]
    return {
      at: position(literal.getStart(sourceFile)),
      converters,
      closingBrace: literal.getEnd() - 1,
      lastPropertyEnd: last?.getEnd(),
      hasTrailingComma: literal.properties.hasTrailingComma,
    }
  }
  return {
    file,
    source,
    tables: { upgrade: readTable("upgrade"), downgrade: readTable("downgrade") },
    upgradesCopyOutOf: exportedStringList(sourceFile, COPIED_OUT_NAME),
  }
}

/** The string literals of `export const name = ["A", "B"] …`; a non-literal element is skipped. */
function exportedStringList(sourceFile: ts.SourceFile, name: string): string[] {
  const initializer = exportedInitializer(sourceFile, name)
  if (initializer === undefined || !ts.isArrayLiteralExpression(initializer)) return []
  return initializer.elements.filter(ts.isStringLiteralLike).map((element) => element.text)
}

function exportedObjectLiteral(
  sourceFile: ts.SourceFile,
  name: string,
): ts.ObjectLiteralExpression | undefined {
  const initializer = exportedInitializer(sourceFile, name)
  return initializer !== undefined && ts.isObjectLiteralExpression(initializer)
    ? initializer
    : undefined
}

/** The value `const name = …` is initialised with, past any `satisfies`, `as` or parentheses. */
function exportedInitializer(sourceFile: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== name) continue
      let initializer = declaration.initializer
      while (
        initializer !== undefined &&
        (ts.isSatisfiesExpression(initializer) ||
          ts.isAsExpression(initializer) ||
          ts.isParenthesizedExpression(initializer))
      ) {
        initializer = initializer.expression
      }
      return initializer
    }
  }
  return undefined
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name
  if (name === undefined) return undefined
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text
  return undefined
}

/** Functions and constants declared at the top of the module, by name. */
function topLevelDeclarations(sourceFile: ts.SourceFile): Map<string, ts.Node> {
  const declarations = new Map<string, ts.Node>()
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
      declarations.set(statement.name.text, statement)
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer !== undefined) {
          declarations.set(declaration.name.text, declaration.initializer)
        }
      }
    }
  }
  return declarations
}

/** The code of a converter: inline, or the top-level function a property names. */
function converterBody(
  property: ts.ObjectLiteralElementLike,
  topLevel: ReadonlyMap<string, ts.Node>,
): ts.Node | undefined {
  if (ts.isShorthandPropertyAssignment(property)) return topLevel.get(property.name.text)
  if (ts.isPropertyAssignment(property)) {
    const value = property.initializer
    return ts.isIdentifier(value) ? topLevel.get(value.text) : value
  }
  return property
}

/** Every property name read inside `node`, by access or destructuring. */
function readProperties(node: ts.Node): string[] {
  const names = new Set<string>()
  const visit = (child: ts.Node): void => {
    if (ts.isPropertyAccessExpression(child)) names.add(child.name.text)
    if (ts.isBindingElement(child)) {
      const name = child.propertyName ?? child.name
      if (ts.isIdentifier(name)) names.add(name.text)
    }
    ts.forEachChild(child, visit)
  }
  visit(node)
  return [...names]
}

/** Every `field: "…"` passed to a `….loss({ … })` call inside `node`. */
function reportedLosses(node: ts.Node): string[] {
  const fields: string[] = []
  const visit = (child: ts.Node): void => {
    if (
      ts.isCallExpression(child) &&
      ts.isPropertyAccessExpression(child.expression) &&
      child.expression.name.text === "loss"
    ) {
      for (const argument of child.arguments) {
        if (!ts.isObjectLiteralExpression(argument)) continue
        for (const property of argument.properties) {
          if (
            ts.isPropertyAssignment(property) &&
            propertyName(property) === "field" &&
            ts.isStringLiteralLike(property.initializer)
          ) {
            fields.push(property.initializer.text)
          }
        }
      }
    }
    ts.forEachChild(child, visit)
  }
  visit(node)
  return fields
}
