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
import { planLending } from "../../codegen/lending.ts"
import { emitLentModule } from "../../codegen/lent-module.ts"
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
import {
  type HandWrittenModule,
  readHandWrittenModule,
} from "../../converters/hand-written-module.ts"
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
  const sources: { readonly generatorSource: string; readonly shown: string }[] = []
  for (const file of schemaFiles) {
    const shown = displayPath(layout, file.path)
    const parsed = parseSchema(file.source, shown, file.version)
    descriptors.push(parsed.descriptor)
    sources.push({ generatorSource: parsed.generatorSource, shown })
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
  const modules = descriptors.slice(0, -1).map((older) => handWrittenModule(layout, older.version))
  const stepOverrides = descriptors
    .slice(1)
    .map((newer, i) => overrides(modules[i], descriptors[i]!, newer))
  const lending = planLending(
    descriptors,
    modules.flatMap((module, i) =>
      module === undefined
        ? []
        : [{ step: descriptors[i]!.version, file: module.file, types: module.upgradesCopyOutOf }],
    ),
    stepOverrides,
  )
  for (const [i, newer] of descriptors.slice(1).entries()) {
    const older = descriptors[i]!
    const converters = importSpecifier(migrationsDir, convertersPath(layout, older.version))
    const stepLending = lending?.step === older.version ? lending : undefined
    files.push({
      path: join(migrationsDir, `v${older.version}-v${newer.version}.ts`),
      content:
        header(`${schemaDir}v${older.version}.bare and v${newer.version}.bare`) +
        emitMigrationModule(
          older,
          newer,
          converters,
          stepOverrides[i],
          stepLending && {
            lent: stepLending.lent,
            holders: stepLending.holders.get(older.version)!,
            candidates: stepLending.candidates,
          },
        ),
    })
  }
  for (const version of lending?.versions ?? []) {
    const { generatorSource, shown } = sources[version - descriptors[0]!.version]!
    files.push({
      path: join(layout.genDir, `v${version}`, "lent.ts"),
      content:
        header(shown) +
        emitLentModule(generatorSource, shown, lending!.lent, lending!.holders.get(version)!),
    })
  }
  files.push(
    {
      path: join(layout.genDir, "versions.ts"),
      content: header(schemaDir) + emitVersionsModule(schemaFiles.map((f) => f.version)),
    },
    {
      path: join(layout.genDir, "versioned.ts"),
      content: header(schemaDir) + emitVersionedModule(descriptors, stepOverrides, lending),
    },
    // The versioned codec as it was while vN was the latest, for code that implements vN and
    // talks to older peers: a bump must not change what its calls mean.
    ...descriptors.slice(1, -1).map((pinned, i) => ({
      path: join(layout.genDir, `versioned-v${pinned.version}.ts`),
      content:
        header(schemaDir) +
        emitVersionedModule(descriptors.slice(0, i + 2), stepOverrides, lending),
    })),
  )
  return files
}

/** The hand-written module of the step from `version`, if there is one. */
function handWrittenModule(layout: FamilyLayout, version: number): HandWrittenModule | undefined {
  const path = convertersPath(layout, version)
  if (!existsSync(path)) return undefined
  return readHandWrittenModule(displayPath(layout, path), readFileSync(path, "utf8"))
}

/** The types whose generated converters the hand-written module of a pair replaces. */
function overrides(
  module: HandWrittenModule | undefined,
  older: SchemaDescriptor,
  newer: SchemaDescriptor,
): string[] {
  if (module === undefined) return []
  const declared = new Set<string>()
  for (const table of Object.values(module.tables)) {
    for (const converter of table?.converters.values() ?? []) declared.add(converter.type)
  }
  return overriddenTypes(older, newer, declared)
}
