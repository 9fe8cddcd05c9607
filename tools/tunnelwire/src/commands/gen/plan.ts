import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { emitCodecModule } from "../../codegen/codec-module.ts"
import { emitEncoderModule } from "../../codegen/encoder-module.ts"
import {
  emitFacadeModule,
  emitSchemaModule,
  emitVersionsModule,
} from "../../codegen/facade-module.ts"
import { generatedHeader } from "../../codegen/generated-header.ts"
import { emitMigrationModule, overriddenTypes } from "../../codegen/migration-module.ts"
import { emitVersionedModule } from "../../codegen/versioned-module.ts"
import {
  convertersPath,
  displayPath,
  type FamilyLayout,
  importSpecifier,
  readSchemaFiles,
  type SchemaFile,
} from "../../config/family-layout.ts"
import { readHandWrittenModule } from "../../converters/hand-written-module.ts"
import type { SchemaDescriptor } from "../../schema/model.ts"
import { parseSchema } from "../../schema/parse-schema.ts"

export interface GeneratedFile {
  readonly path: string
  readonly content: string
}

/**
 * Every file `tunnelwire gen` owns, with the content it must have, for the project's schema files
 * (or the ones given, as `tunnelwire bump` plans them before writing). Pure: reads, never writes.
 */
export function planGeneration(
  layout: FamilyLayout,
  schemaFiles: readonly SchemaFile[] = readSchemaFiles(layout),
): GeneratedFile[] {
  const header = (source: string) => generatedHeader(source, layout.regenerate)
  const schemaDir = `${displayPath(layout, layout.schemaDir)}/`
  const files: GeneratedFile[] = []
  const descriptors: SchemaDescriptor[] = []
  for (const file of schemaFiles) {
    const shown = displayPath(layout, file.path)
    const parsed = parseSchema(file.source, shown, file.version)
    descriptors.push(parsed.descriptor)
    const dir = join(layout.genDir, `v${file.version}`)
    const from = header(shown)
    files.push(
      {
        path: join(dir, "codec.ts"),
        content: from + emitCodecModule(parsed.generatorSource, shown),
      },
      {
        path: join(dir, "encoders.ts"),
        content: from + emitEncoderModule(parsed.generatorSource, shown),
      },
      { path: join(dir, "schema.ts"), content: from + emitSchemaModule(parsed.descriptor) },
      { path: join(dir, "index.ts"), content: from + emitFacadeModule(parsed.descriptor) },
    )
  }
  const migrationsDir = join(layout.genDir, "migrations")
  const stepOverrides = descriptors.slice(1).map((newer, i) => {
    const older = descriptors[i]!
    const overridden = overrides(layout, older, newer)
    const converters = importSpecifier(migrationsDir, convertersPath(layout, older.version))
    files.push({
      path: join(migrationsDir, `v${older.version}-v${newer.version}.ts`),
      content:
        header(`${schemaDir}v${older.version}.bare and v${newer.version}.bare`) +
        emitMigrationModule(older, newer, converters, overridden),
    })
    return overridden
  })
  files.push(
    {
      path: join(layout.genDir, "versions.ts"),
      content: header(schemaDir) + emitVersionsModule(schemaFiles.map((f) => f.version)),
    },
    {
      path: join(layout.genDir, "versioned.ts"),
      content: header(schemaDir) + emitVersionedModule(descriptors, stepOverrides),
    },
    // The versioned codec as it was while vN was the latest, for code that implements vN and
    // talks to older peers: a bump must not change what its calls mean.
    ...descriptors.slice(1, -1).map((pinned, i) => ({
      path: join(layout.genDir, `versioned-v${pinned.version}.ts`),
      content: header(schemaDir) + emitVersionedModule(descriptors.slice(0, i + 2), stepOverrides),
    })),
  )
  return files
}

/** The types whose generated converters the hand-written module of a pair replaces. */
function overrides(
  layout: FamilyLayout,
  older: SchemaDescriptor,
  newer: SchemaDescriptor,
): string[] {
  const path = convertersPath(layout, older.version)
  if (!existsSync(path)) return []
  const module = readHandWrittenModule(displayPath(layout, path), readFileSync(path, "utf8"))
  const declared = new Set<string>()
  for (const table of Object.values(module.tables)) {
    for (const converter of table?.converters.values() ?? []) declared.add(converter.type)
  }
  return overriddenTypes(older, newer, declared)
}
