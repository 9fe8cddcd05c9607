import { displayPath, type FamilyLayout, type SchemaFile } from "../config/family-layout.ts"
import { type ParsedSchema, parseSchema } from "./parse-schema.ts"

/** Parses schema files, naming each by its path from the project root in positions. */
export function parseSchemaFiles(
  layout: FamilyLayout,
  files: readonly SchemaFile[],
): ParsedSchema[] {
  return files.map((file) => parseSchema(file.source, displayPath(layout, file.path), file.version))
}
