import type { SchemaDescriptor, TypeDescriptor } from "../schema/model.ts"
import {
  classifyTypeEvolution,
  referencedNames,
  sameShape,
  type TypeEvolution,
} from "../schema/type-evolution.ts"
import { runtimeImport } from "./runtime-import.ts"

type Direction = "upgrade" | "downgrade"

/**
 * At the step whose hand-written upgrades copy out of `lent` data types (lending.ts): the older
 * types a view can sit in, which the upgrades take as `gen/vA/lent.ts` declares them.
 */
export interface StepLending {
  readonly lent: readonly string[]
  readonly holders: ReadonlySet<string>
  /** The data types a module may declare there (lending.ts `copyOutCandidates`). */
  readonly candidates: readonly string[]
}

/** Types that need a person to write their converters between `older` and `newer`. */
export function handWrittenTypes(older: SchemaDescriptor, newer: SchemaDescriptor): string[] {
  return [...classifyTypeEvolution(older, newer)]
    .filter(([, evolution]) => evolution === "changed")
    .map(([name]) => name)
}

/**
 * Of the types a hand-written module declares, those the generator could convert itself but that
 * a person chose to write: a type whose references changed (`structural`) or a union converted
 * member by member. A field that moves between two children of one type (v5 moves an event's
 * actor and generation into its wrapper's checkpoint) needs their parent written by hand.
 */
export function overriddenTypes(
  older: SchemaDescriptor,
  newer: SchemaDescriptor,
  declared: Iterable<string>,
): string[] {
  const evolution = classifyTypeEvolution(older, newer)
  return [...declared].filter((name) => {
    const kind = evolution.get(name)
    return kind === "structural" || kind === "union-members"
  })
}

/**
 * `gen/migrations/vA-vB.ts` for adjacent versions A and B = A + 1: a converter for every type both
 * versions have, in both directions, typed end to end. Identical types pass through untouched;
 * types whose references changed are rebuilt; unions convert member by member; the rest call the
 * hand-written converters in the family's `vA-to-vB.ts`, whose shape this module declares;
 * `convertersModule` is how this module imports it.
 */
export function emitMigrationModule(
  older: SchemaDescriptor,
  newer: SchemaDescriptor,
  convertersModule: string,
  overrides: readonly string[] = [],
  lending?: StepLending,
): string {
  const evolution = classifyTypeEvolution(older, newer)
  const shared = [...evolution].filter(([, e]) => e !== "added" && e !== "removed").map(([n]) => n)
  const handWritten = shared.filter(
    (name) => evolution.get(name) === "changed" || overrides.includes(name),
  )
  const a = older.version
  const b = newer.version
  const lines: string[] = []
  for (const direction of ["upgrade", "downgrade"] as const) {
    const [from, to] = direction === "upgrade" ? ["older", "newer"] : ["newer", "older"]
    const input = inputType(direction, lending)
    const table = direction === "upgrade" ? "UpgradeTable" : "DowngradeTable"
    lines.push(
      `/** Every v${direction === "upgrade" ? `${a} → v${b}` : `${b} → v${a}`} converter, by type name. */`,
      `export interface ${table} {`,
      ...shared.map(
        (name) => `  ${name}(value: ${input(name)}, ctx: MigrationContext): ${to}.${name}`,
      ),
      "}",
      "",
      `/** The ${direction}s a person writes: one per type whose own shape changed. */`,
      `export interface HandWritten${direction === "upgrade" ? "Upgrades" : "Downgrades"} {`,
      ...handWritten.map(
        (name) =>
          `  ${name}(value: ${input(name)}, ctx: MigrationContext, convert: ${table}): ${to}.${name}`,
      ),
      "}",
      "",
    )
    if (from === "older" && lending !== undefined) {
      lines.push(
        "/**",
        ` * The v${a} data types the upgrades may declare they only copy out of (\`upgradesCopyOutOf\`):`,
        " * they then take them, and every type holding one, as views too (`lent.X`).",
        " */",
        `export type CopyOutCandidate = ${lending.candidates.map((name) => JSON.stringify(name)).join(" | ")}`,
        "",
      )
    }
  }

  for (const direction of ["upgrade", "downgrade"] as const) {
    const context: EmitContext = { older, newer, evolution, direction, overrides, lending }
    const table = direction === "upgrade" ? "UpgradeTable" : "DowngradeTable"
    lines.push(`export const ${direction}: ${table} = {`)
    for (const name of shared) lines.push(`  ${name}: ${direction}${name},`)
    lines.push("}", "")
    for (const name of shared) lines.push(...emitConverter(context, name), "")
  }
  if (handWritten.length > 0) {
    lines.unshift(
      "// Typed here too, so a hand-written module without `satisfies` still cannot drift.",
      "const handWrittenUpgrades: HandWrittenUpgrades = upgrades",
      "const handWrittenDowngrades: HandWrittenDowngrades = downgrades",
      "",
    )
  }
  const body = lines.join("\n").trimEnd()
  const helpers = ["mapEntries", "mapList", "mapOptional"].filter((h) => body.includes(`${h}(`))
  const header = [
    ...(handWritten.length > 0
      ? [`import { downgrades, upgrades } from "${convertersModule}"`]
      : []),
    runtimeImport([...helpers, "type MigrationContext"]),
    `import type * as older from "../v${a}/codec.js"`,
    `import type * as newer from "../v${b}/codec.js"`,
    ...(lending === undefined ? [] : [`import type * as lent from "../v${a}/lent.js"`]),
    "",
  ]
  return `${header.join("\n")}\n${body}\n`
}

/** How a converter's input type is named: the codec's, or the lent form where a view can sit. */
function inputType(direction: Direction, lending: StepLending | undefined) {
  return (name: string): string => {
    if (direction === "downgrade") return `newer.${name}`
    return lending?.holders.has(name) ? `lent.${name}` : `older.${name}`
  }
}

interface EmitContext {
  readonly older: SchemaDescriptor
  readonly newer: SchemaDescriptor
  readonly evolution: ReadonlyMap<string, TypeEvolution>
  readonly direction: Direction
  readonly overrides: readonly string[]
  readonly lending: StepLending | undefined
}

function emitConverter(context: EmitContext, name: string): string[] {
  const { direction, evolution } = context
  const to = direction === "upgrade" ? "newer" : "older"
  const kind = context.overrides.includes(name) ? "changed" : evolution.get(name)
  const input = inputType(direction, context.lending)(name)
  const signature = `function ${direction}${name}(value: ${input}, ctx: MigrationContext): ${to}.${name}`
  switch (kind) {
    case "identical":
      return [`${signature} {`, "  return value", "}"]
    case "changed": {
      const table = direction === "upgrade" ? "handWrittenUpgrades" : "handWrittenDowngrades"
      return [`${signature} {`, `  return ${table}.${name}(value, ctx, ${direction})`, "}"]
    }
    default: {
      const source = sourceType(context, name)
      const target = targetType(context, name)
      if (source.kind === "union" && target.kind === "union") {
        return [`${signature} {`, ...emitUnionBody(context, name, source, target), "}"]
      }
      return [`${signature} {`, `  return ${convertExpr(context, source, target, "value", 0)}`, "}"]
    }
  }
}

function emitUnionBody(
  context: EmitContext,
  name: string,
  source: Extract<TypeDescriptor, { kind: "union" }>,
  target: Extract<TypeDescriptor, { kind: "union" }>,
): string[] {
  const cases: (readonly [label: string, body: string])[] = []
  for (const member of source.members) {
    const counterpart = target.members.find((m) => m.name === member.name)
    const tag = JSON.stringify(member.name)
    if (counterpart === undefined) {
      cases.push([
        `    case ${tag}:`,
        `      return ctx.unrepresentable({ type: ${JSON.stringify(name)}, member: ${JSON.stringify(String(member.name))} })`,
      ])
    } else if (!passesThrough(context, member.type, counterpart.type)) {
      const val = convertExpr(context, member.type, counterpart.type, "value.val", 0)
      cases.push([`    case ${tag}:`, `      return { tag: ${tag}, val: ${val} }`])
    }
  }
  if (cases.length === 0) return ["  return value"]
  if (cases.length < source.members.length) {
    return ["  switch (value.tag) {", ...cases.flat(), "    default:", "      return value", "  }"]
  }
  // Every member converts: the last one is the default. A `default` returning the value
  // unconverted would type-check against a one-member union (TypeScript narrows only unions).
  const last = cases[cases.length - 1]!
  return ["  switch (value.tag) {", ...cases.slice(0, -1).flat(), "    default:", last[1], "  }"]
}

function sourceType(context: EmitContext, name: string): TypeDescriptor {
  const schema = context.direction === "upgrade" ? context.older : context.newer
  return schema.types[name]!
}

function targetType(context: EmitContext, name: string): TypeDescriptor {
  const schema = context.direction === "upgrade" ? context.newer : context.older
  return schema.types[name]!
}

/** Whether a value of `source` is already a valid value of `target`, with nothing to convert. */
function passesThrough(
  context: EmitContext,
  source: TypeDescriptor,
  target: TypeDescriptor,
): boolean {
  return (
    sameShape(source, target) &&
    referencedNames(source).every((name) => context.evolution.get(name) === "identical")
  )
}

/** A TypeScript expression converting `expr` of type `source` into `target`. */
function convertExpr(
  context: EmitContext,
  source: TypeDescriptor,
  target: TypeDescriptor,
  expr: string,
  depth: number,
): string {
  if (passesThrough(context, source, target)) return expr
  const v = `v${depth}`
  if (source.kind === "ref" && target.kind === "ref" && source.name === target.name) {
    return `${context.direction}${source.name}(${expr}, ctx)`
  }
  if (source.kind === "optional" && target.kind === "optional") {
    return `mapOptional(${expr}, (${v}) => ${convertExpr(context, source.of, target.of, v, depth + 1)})`
  }
  if (source.kind === "list" && target.kind === "list") {
    return `mapList(${expr}, (${v}) => ${convertExpr(context, source.of, target.of, v, depth + 1)})`
  }
  if (source.kind === "map" && target.kind === "map") {
    const key = convertExpr(context, source.key, target.key, `k${depth}`, depth + 1)
    const value = convertExpr(context, source.value, target.value, v, depth + 1)
    return `mapEntries(${expr}, (k${depth}) => ${key}, (${v}) => ${value})`
  }
  if (source.kind === "struct" && target.kind === "struct") {
    const fields = target.fields.map((field, i) => {
      const from = source.fields[i]!
      return `${field.name}: ${convertExpr(context, from.type, field.type, `${expr}.${from.name}`, depth + 1)}`
    })
    return `{ ${fields.join(", ")} }`
  }
  throw new Error(
    `cannot derive a converter from ${JSON.stringify(source)} to ${JSON.stringify(target)}`,
  )
}
