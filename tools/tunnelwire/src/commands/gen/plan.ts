import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { emitCodecModule } from "../../codegen/codec-module.ts"
import { emitEncoderModule } from "../../codegen/encoder-module.ts"
import {
  emitFacadeModule,
  emitSchemaModule,
  emitVersionsModule,
} from "../../codegen/facade-module.ts"
import {
  emitMigrationModule,
  handWrittenMigrationPath,
  overriddenTypes,
} from "../../codegen/migration-module.ts"
import { emitVersionedModule } from "../../codegen/versioned-module.ts"
import { readHandWrittenModule } from "../../converters/hand-written-module.ts"
import type { SchemaDescriptor } from "../../schema/model.ts"
import { parseSchema } from "../../schema/parse-schema.ts"
import {
  displayPath,
  type ProjectLayout,
  readSchemaFiles,
  type SchemaFile,
} from "../../schema/project-layout.ts"

export interface GeneratedFile {
  readonly path: string
  readonly content: string
}

/**
 * Every file `tunnelwire gen` owns, with the content it must have, for the project's schema files
 * (or the ones given, as `tunnelwire bump` plans them before writing). Pure: reads, never writes.
 */
export function planGeneration(
  layout: ProjectLayout,
  schemaFiles: readonly SchemaFile[] = readSchemaFiles(layout),
): GeneratedFile[] {
  const files: GeneratedFile[] = []
  const descriptors: SchemaDescriptor[] = []
  for (const file of schemaFiles) {
    const shown = displayPath(layout, file.path)
    const parsed = parseSchema(file.source, shown, file.version)
    descriptors.push(parsed.descriptor)
    const dir = join(layout.genDir, `v${file.version}`)
    files.push(
      { path: join(dir, "codec.ts"), content: emitCodecModule(parsed.generatorSource, shown) },
      { path: join(dir, "encoders.ts"), content: emitEncoderModule(parsed.generatorSource, shown) },
      { path: join(dir, "schema.ts"), content: emitSchemaModule(parsed.descriptor, shown) },
      { path: join(dir, "index.ts"), content: emitFacadeModule(parsed.descriptor, shown) },
    )
  }
  const stepOverrides = descriptors.slice(1).map((newer, i) => {
    const older = descriptors[i]!
    const overridden = overrides(layout, older, newer)
    files.push({
      path: join(layout.genDir, "migrations", `v${older.version}-v${newer.version}.ts`),
      content: emitMigrationModule(older, newer, overridden),
    })
    return overridden
  })
  files.push(
    {
      path: join(layout.genDir, "versions.ts"),
      content: emitVersionsModule(schemaFiles.map((f) => f.version)),
    },
    {
      path: join(layout.genDir, "versioned.ts"),
      content: emitVersionedModule(descriptors, stepOverrides),
    },
    // The versioned codec as it was while vN was the latest, for code that implements vN and
    // talks to older peers: a bump must not change what its calls mean.
    ...descriptors.slice(1, -1).map((pinned, i) => ({
      path: join(layout.genDir, `versioned-v${pinned.version}.ts`),
      content: emitVersionedModule(descriptors.slice(0, i + 2), stepOverrides),
    })),
  )
  return files
}

/** The types whose generated converters the hand-written module of a pair replaces. */
function overrides(
  layout: ProjectLayout,
  older: SchemaDescriptor,
  newer: SchemaDescriptor,
): string[] {
  const path = join(dirname(layout.migrationsDir), handWrittenMigrationPath(older.version))
  if (!existsSync(path)) return []
  const module = readHandWrittenModule(displayPath(layout, path), readFileSync(path, "utf8"))
  const declared = new Set<string>()
  for (const table of Object.values(module.tables)) {
    for (const converter of table?.converters.values() ?? []) declared.add(converter.type)
  }
  return overriddenTypes(older, newer, declared)
}
