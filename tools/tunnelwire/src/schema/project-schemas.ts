import { type ParsedSchema, parseSchema } from "./parse-schema.ts"
import { displayPath, type ProjectLayout, type SchemaFile } from "./project-layout.ts"

/** Parses schema files, naming each by its path from the project root in positions. */
export function parseSchemaFiles(
  layout: ProjectLayout,
  files: readonly SchemaFile[],
): ParsedSchema[] {
  return files.map((file) => parseSchema(file.source, displayPath(layout, file.path), file.version))
}
