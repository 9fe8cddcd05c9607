import type { SchemaDescriptor, TypeDescriptor } from "../schema/model.ts"
import { classifyTypeEvolution, type TypeEvolution } from "../schema/type-evolution.ts"
import type { Lending } from "./lending.ts"

/**
 * The upgrade chain from each older version to the latest, composed at generation time: one
 * function per (from-version, type) that builds the latest shape in one pass. It is the adjacent
 * steps of `gen/migrations/vA-vB.ts` composed mechanically:
 *
 * - a run of steps where a type is `identical` is the value itself (no function, no allocation);
 * - a run of generated steps (`structural`, `union-members`) rebuilds the value once, converting
 *   each field, element or union member by the fused function of its own type over the same run;
 *   a union member that vanishes at step s is refused with step s's context, as that step does;
 * - at a step where a type changed, the hand-written converter is called through that step's
 *   table (`mS.upgrade.T`), on the fused value of the version before, and the run goes on after.
 *
 * Upgrades are pure, so a refusal is re-run through the step-by-step chain (see the callers in
 * versioned-module.ts): where several steps would refuse, the chain says which one comes first.
 * Under `lending`, a function over a type a lent view can sit in takes the lent form of it.
 */
export interface FusedUpgrades {
  /** Declarations of every fused function the entry points need. */
  readonly lines: readonly string[]
  /** An expression converting `expr`, a `root` of version `from`, into the latest shape. */
  call(root: string, from: number, expr: string): string
}

/**
 * `overrides[i]` are the types whose converters the hand-written module between `schemas[i]` and
 * `schemas[i + 1]` replaces (as `emitMigrationModule` takes them).
 */
export function emitFusedUpgrades(
  schemas: readonly SchemaDescriptor[],
  overrides: readonly (readonly string[])[],
  lending?: Lending,
): FusedUpgrades {
  const first = schemas[0]!.version
  const latest = schemas[schemas.length - 1]!.version
  const schemaOf = (version: number) => schemas[version - first]!
  const steps = schemas.slice(0, -1).map((older, i) => {
    const evolution = classifyTypeEvolution(older, schemas[i + 1]!)
    const overridden = overrides[i] ?? []
    return (name: string): TypeEvolution | undefined =>
      overridden.includes(name) ? "changed" : evolution.get(name)
  })
  const kindAt = (name: string, step: number) => steps[step - first]!(name)
  // A type a lent view can sit in takes it as `gen/vN/lent.ts` declares it (see lending.ts).
  const typeAt = (version: number, name: string) =>
    lending?.holders.get(version)?.has(name) ? `l${version}.${name}` : `v${version}.${name}`

  /** Function names by `type@from-to`; `null` when the run leaves the value as it is. */
  const names = new Map<string, string | null>()
  const bodies: string[][] = []
  /** Functions referred to by name again after they were first named (recursion, sharing). */
  const referenced = new Set<string>()

  /** The fused function of named type `name` from `from` to `to`, or `null` for the identity. */
  function fused(name: string, from: number, to: number): string | null {
    const key = `${name}@${from}-${to}`
    const known = names.get(key)
    if (known !== undefined) {
      if (known !== null) referenced.add(known)
      return known
    }
    let steps = 0
    for (let step = from; step < to; step++) if (kindAt(name, step) !== "identical") steps++
    if (steps === 0) {
      names.set(key, null)
      return null
    }
    const fn = `fused${name}V${from}ToV${to}`
    // Named before its body is built, so a recursive type refers to itself.
    names.set(key, fn)
    const body = fusedBody(name, from, to)
    // Generated steps that only renumber a union's members, or that rebuild around such a
    // union, leave the value as it is: no function for them.
    if (body.length === 1 && body[0] === "  return value" && !referenced.has(fn)) {
      names.set(key, null)
      return null
    }
    const signature = `function ${fn}(value: ${typeAt(from, name)}): ${typeAt(to, name)}`
    bodies.push([`${signature} {`, ...body, "}", ""])
    return fn
  }

  function fusedBody(name: string, from: number, to: number): string[] {
    for (let step = from; step < to; step++) {
      if (kindAt(name, step) !== "changed") continue
      const before = apply(fused(name, from, step), "value")
      const changed = `m${step}.upgrade.${name}(${before}, UPGRADE_${step}_${step + 1})`
      return [`  return ${apply(fused(name, step + 1, to), changed)}`]
    }
    // A run of generated steps: one shape all along (unions may lose members on the way).
    const source = schemaOf(from).types[name]!
    if (source.kind === "union") return unionBody(name, source, from, to)
    return [`  return ${convert(source, from, to, "value", 0)}`]
  }

  function unionBody(
    name: string,
    source: Extract<TypeDescriptor, { kind: "union" }>,
    from: number,
    to: number,
  ): string[] {
    const cases: (readonly [label: string, body: string])[] = []
    for (const member of source.members) {
      const tag = JSON.stringify(member.name)
      const gone = vanishesAt(name, member.name, from, to)
      if (gone !== undefined) {
        const detail = `{ type: ${JSON.stringify(name)}, member: ${JSON.stringify(String(member.name))} }`
        cases.push([
          `    case ${tag}:`,
          `      return UPGRADE_${gone}_${gone + 1}.unrepresentable(${detail})`,
        ])
        continue
      }
      const val = convert(member.type, from, to, "value.val", 0)
      if (val !== "value.val")
        cases.push([`    case ${tag}:`, `      return { tag: ${tag}, val: ${val} }`])
    }
    if (cases.length === 0) return ["  return value"]
    if (cases.length < source.members.length) {
      return [
        "  switch (value.tag) {",
        ...cases.flat(),
        "    default:",
        "      return value",
        "  }",
      ]
    }
    // Every member converts: the last is the default (see the same choice in migration-module.ts).
    const last = cases[cases.length - 1]!
    return ["  switch (value.tag) {", ...cases.slice(0, -1).flat(), "    default:", last[1], "  }"]
  }

  /** The step at which union `name` loses `member` between `from` and `to`, if it does. */
  function vanishesAt(name: string, member: string | number, from: number, to: number) {
    for (let version = from + 1; version <= to; version++) {
      const union = schemaOf(version).types[name]
      if (union?.kind !== "union" || !union.members.some((m) => m.name === member)) {
        return version - 1
      }
    }
    return undefined
  }

  /** An expression converting `expr` of inline type `type` (same shape all run long). */
  function convert(
    type: TypeDescriptor,
    from: number,
    to: number,
    expr: string,
    depth: number,
  ): string {
    switch (type.kind) {
      case "ref":
        return apply(fused(type.name, from, to), expr)
      case "optional": {
        const inner = convert(type.of, from, to, expr, depth + 1)
        return inner === expr ? expr : `${expr} === null ? null : ${inner}`
      }
      case "list": {
        const v = `v${depth}`
        const element = convert(type.of, from, to, v, depth + 1)
        if (element === v) return expr
        // A fused function is passed as it is: no closure made per call.
        const fn =
          type.of.kind === "ref" ? fused(type.of.name, from, to)! : `(${v}) => (${element})`
        return `mapList(${expr}, ${fn})`
      }
      case "map": {
        const k = `k${depth}`
        const v = `v${depth}`
        const key = convert(type.key, from, to, k, depth + 1)
        const value = convert(type.value, from, to, v, depth + 1)
        if (key === k && value === v) return expr
        return `mapEntries(${expr}, (${k}) => (${key}), (${v}) => (${value}))`
      }
      case "struct": {
        const fields = type.fields.map((field) => {
          const path = `${expr}.${field.name}`
          return [field.name, path, convert(field.type, from, to, path, depth + 1)] as const
        })
        if (fields.every(([, path, converted]) => converted === path)) return expr
        return `{ ${fields.map(([name, , converted]) => `${name}: ${converted}`).join(", ")} }`
      }
      case "union":
      case "enum":
        throw new Error(`an inline ${type.kind} cannot be fused; name it in the schema`)
      default:
        return expr
    }
  }

  return {
    get lines() {
      return bodies.flat()
    },
    call(root, from, expr) {
      return apply(fused(root, from, latest), expr)
    },
  }
}

function apply(fn: string | null, expr: string): string {
  return fn === null ? expr : `${fn}(${expr})`
}
