import { typeText } from "@tunnelwire/runtime"
import type { ConverterNeeds } from "../converters/converter-needs.ts"
import {
  type Direction,
  type HandWrittenModule,
  holeName,
  TABLE_NAME,
} from "../converters/hand-written-module.ts"

const DIRECTIONS: readonly Direction[] = ["upgrade", "downgrade"]

/**
 * A new hand-written module for versions A and A + 1, with a typed hole for every converter;
 * `migrationModule` is how it imports the generated migration module of the pair.
 */
export function scaffoldModule(
  older: number,
  needs: readonly ConverterNeeds[],
  migrationModule: string,
): string {
  const newer = older + 1
  const tables = DIRECTIONS.map((direction) => {
    const holes = needs.flatMap((need) => holeLines(direction, need, older, "  "))
    const body = holes.length === 0 ? "{}" : `{\n${holes.join("\n")}\n}`
    return `export const ${TABLE_NAME[direction]} = ${body} satisfies HandWritten${direction === "upgrade" ? "Upgrades" : "Downgrades"}\n`
  })
  return [
    `// v${older} ↔ v${newer}: say what changed between the two versions, what each upgrade fills in and`,
    "// what each downgrade drops or refuses. `tunnelwire gen` adds a placeholder here for every type",
    "// whose shape changes, and never touches a converter once it is written.",
    `import type { HandWrittenDowngrades, HandWrittenUpgrades } from "${migrationModule}"`,
    "",
    tables.join("\n"),
  ].join("\n")
}

export interface ScaffoldResult {
  readonly source: string
  /** "upgrade ToServerWebSocketClose", … */
  readonly inserted: readonly string[]
  /** Tables the module does not declare as an object literal, so nothing could go in them. */
  readonly unreadable: readonly string[]
}

/** Adds a hole for every converter the module lacks; leaves every existing one as it is. */
export function insertMissingConverters(
  module: HandWrittenModule,
  older: number,
  needs: readonly ConverterNeeds[],
): ScaffoldResult {
  const edits: { offset: number; text: string }[] = []
  const inserted: string[] = []
  const unreadable: string[] = []
  for (const direction of DIRECTIONS) {
    const table = module.tables[direction]
    const missing = needs.filter((need) => !table?.converters.has(need.type))
    if (missing.length === 0) continue
    if (table === undefined) {
      unreadable.push(`export const ${TABLE_NAME[direction]} = { … }`)
      continue
    }
    const lineStart = module.source.lastIndexOf("\n", table.closingBrace - 1) + 1
    const beforeBrace = module.source.slice(lineStart, table.closingBrace)
    const braceOnOwnLine = beforeBrace.trim() === ""
    const indent = braceOnOwnLine ? beforeBrace : (/^\s*/.exec(beforeBrace)?.[0] ?? "")
    const holes = missing.flatMap((need) => holeLines(direction, need, older, `${indent}  `))
    if (table.lastPropertyEnd !== undefined && !table.hasTrailingComma) {
      edits.push({ offset: table.lastPropertyEnd, text: "," })
    }
    edits.push(
      braceOnOwnLine
        ? { offset: lineStart, text: `${holes.join("\n")}\n` }
        : { offset: table.closingBrace, text: `\n${holes.join("\n")}\n${indent}` },
    )
    inserted.push(...missing.map((need) => `${direction} ${need.type}`))
  }
  let source = module.source
  for (const edit of edits.sort((a, b) => b.offset - a.offset)) {
    source = source.slice(0, edit.offset) + edit.text + source.slice(edit.offset)
  }
  return { source, inserted, unreadable }
}

/** A placeholder property and the comment that says what to write in its place. */
function holeLines(
  direction: Direction,
  need: ConverterNeeds,
  older: number,
  indent: string,
): string[] {
  const newer = older + 1
  const [from, to] = direction === "upgrade" ? [older, newer] : [newer, older]
  return [
    `${indent}// Write this ${direction} in place of the placeholder: (value, ctx, convert) => a v${to} ${need.type}.`,
    ...changeNotes(direction, need, from, to).map((note) => `${indent}// - ${note}`),
    `${indent}${need.type}: ${holeName(direction, need.type)},`,
  ]
}

function changeNotes(
  direction: Direction,
  need: ConverterNeeds,
  from: number,
  to: number,
): string[] {
  if (need.reshaped !== undefined) {
    const [before, after] =
      direction === "upgrade"
        ? [need.reshaped.before, need.reshaped.after]
        : [need.reshaped.after, need.reshaped.before]
    return [`v${from} is ${before}; v${to} is ${after}`]
  }
  const upgrading = direction === "upgrade"
  const filled = upgrading ? need.newerOnlyFields : need.olderOnlyFields
  const dropped = upgrading ? need.olderOnlyFields : need.newerOnlyFields
  return [
    ...filled.map(
      (field) => `fill ${field.name} (${typeText(field.type)}): v${from} has no such field`,
    ),
    ...dropped.map((field) =>
      upgrading
        ? `drop ${field.name}: v${to} has no such field`
        : `drop ${field.name}: call ctx.loss({ type: "${need.type}", field: "${field.name}", reason }) when it holds a value v${to} cannot carry`,
    ),
    ...need.renamedFields.map((r) =>
      upgrading ? `${r.from} is now called ${r.to}` : `${r.to} is called ${r.from} in v${to}`,
    ),
    ...need.retypedFields.map((r) =>
      upgrading
        ? `convert ${r.name} from ${r.before} to ${r.after}`
        : `convert ${r.name} from ${r.after} back to ${r.before}`,
    ),
  ]
}
