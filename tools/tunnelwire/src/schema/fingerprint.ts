import { createHash } from "node:crypto"
import type { SchemaDescriptor } from "./model.ts"

/**
 * A hash of everything that decides the bytes on the wire and the generated TypeScript types:
 * type names and shapes, field names and order, union and enum tags. Comments, whitespace and
 * the order of top-level declarations do not change it.
 */
export function fingerprint(schema: SchemaDescriptor): string {
  const names = Object.keys(schema.types).sort()
  const canonical = JSON.stringify(names.map((name) => [name, schema.types[name]]))
  return `sha256:${createHash("sha256").update(canonical).digest("hex")}`
}
