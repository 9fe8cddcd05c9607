import type { Ast, Type } from "@bare-ts/tools"

/**
 * The TypeScript property a schema field becomes. The wire has no names, so a field can be
 * called anything BARE parses; bare-ts generates only from camelCase, so `retry_count` becomes
 * `retryCount` the way protobuf-es names proto fields: each underscore dropped and the character
 * after it upper-cased. The first letter is lower-cased (`HTTP_code` → `hTTPCode`), which is
 * what bare-ts requires of a property.
 */
export function propertyName(field: string): string {
  const camel = field.replace(/_+(.?)/g, (_match, next: string) => next.toUpperCase())
  return camel.charAt(0).toLowerCase() + camel.slice(1)
}

/** A schema source with every struct field renamed to its property name, as bare-ts reads it. */
export interface RenamedSource {
  readonly source: string
  /** The offset in the original source of an offset in the renamed one. */
  originalOffset(offset: number): number
}

interface Rename {
  readonly offset: number
  readonly from: string
  readonly to: string
}

export function withPropertyNames(source: string, ast: Ast): RenamedSource {
  const renames: Rename[] = []
  const visit = (type: Type): void => {
    if (type.tag === "struct") {
      for (const field of type.data) {
        const to = propertyName(field.name)
        if (to !== field.name) renames.push({ offset: field.offset, from: field.name, to })
      }
    }
    for (const child of type.types ?? []) visit(child)
  }
  for (const def of ast.defs) visit(def.type)
  renames.sort((a, b) => a.offset - b.offset)
  let renamed = ""
  let copied = 0
  for (const rename of renames) {
    renamed += source.slice(copied, rename.offset) + rename.to
    copied = rename.offset + rename.from.length
  }
  renamed += source.slice(copied)
  return {
    source: renamed,
    originalOffset(offset) {
      let shift = 0
      for (const rename of renames) {
        const start = rename.offset + shift
        if (offset < start) break
        if (offset < start + rename.to.length) return rename.offset
        shift += rename.to.length - rename.from.length
      }
      return offset - shift
    },
  }
}
