import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { insertMissingConverters, scaffoldModule } from "../../codegen/converter-scaffold.ts"
import { overriddenTypes } from "../../codegen/migration-module.ts"
import {
  convertersPath,
  displayPath,
  type FamilyLayout,
  importSpecifier,
} from "../../config/family-layout.ts"
import { converterNeeds } from "../../converters/converter-needs.ts"
import { readHandWrittenModule, TABLE_NAME } from "../../converters/hand-written-module.ts"
import type { SchemaDescriptor } from "../../schema/model.ts"

/** A hand-written converters module to create, or to extend with placeholders. */
export interface ScaffoldFile {
  readonly path: string
  readonly content: string
  readonly created: boolean
  /** "upgrade ToServerWebSocketClose", … */
  readonly inserted: readonly string[]
}

export interface ScaffoldPlan {
  readonly files: readonly ScaffoldFile[]
  /** Things a person has to sort out: converters no longer needed, tables gen cannot read. */
  readonly notes: readonly string[]
}

/**
 * The placeholders every adjacent pair of versions still lacks in its converters, `vA-to-vB.ts`.
 * `alwaysCreate` lists pairs (by older version) whose module must exist even with nothing to
 * convert by hand, as `tunnelwire bump` wants for the version it opens. Pure: reads, never writes.
 */
export function planScaffolds(
  layout: FamilyLayout,
  schemas: readonly SchemaDescriptor[],
  alwaysCreate: readonly number[] = [],
): ScaffoldPlan {
  const files: ScaffoldFile[] = []
  const notes: string[] = []
  for (const [older, newer] of schemas.slice(1).map((s, i) => [schemas[i]!, s] as const)) {
    const a = older.version
    const path = convertersPath(layout, a)
    const shown = displayPath(layout, path)
    const needs = converterNeeds(older, newer).filter((need) => need.evolution === "changed")
    if (!existsSync(path)) {
      if (needs.length > 0 || alwaysCreate.includes(a)) {
        const inserted = needs.flatMap((need) => [`upgrade ${need.type}`, `downgrade ${need.type}`])
        const migration = join(layout.genDir, "migrations", `v${a}-v${a + 1}.ts`)
        const content = scaffoldModule(a, needs, importSpecifier(layout.convertersDir, migration))
        files.push({ path, content, created: true, inserted })
      }
      continue
    }
    const module = readHandWrittenModule(shown, readFileSync(path, "utf8"))
    const result = insertMissingConverters(module, a, needs)
    if (result.inserted.length > 0) {
      files.push({ path, content: result.source, created: false, inserted: result.inserted })
    }
    for (const table of result.unreadable) {
      notes.push(`${shown}: cannot find \`${table}\`; add the missing converters by hand`)
    }
    const declared = Object.values(module.tables).flatMap((table) => [
      ...(table?.converters.keys() ?? []),
    ])
    const needed = new Set([
      ...needs.map((need) => need.type),
      ...overriddenTypes(older, newer, declared),
    ])
    for (const direction of ["upgrade", "downgrade"] as const) {
      for (const converter of module.tables[direction]?.converters.values() ?? []) {
        if (needed.has(converter.type)) continue
        const { line, column } = converter.at
        notes.push(
          `${shown}:${line}:${column}: ${TABLE_NAME[direction]}.${converter.type} is no longer needed (v${a} and v${a + 1} convert it without help); remove it`,
        )
      }
    }
  }
  return { files, notes }
}
