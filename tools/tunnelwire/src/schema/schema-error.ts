import type { SourcePosition } from "./model.ts"

/** A schema that does not compile, with the place it stops making sense: `file:line:col: reason`. */
export class SchemaSyntaxError extends Error {
  override name = "SchemaSyntaxError"
  readonly at: SourcePosition

  constructor(at: SourcePosition, reason: string) {
    super(`${at.file}:${at.line}:${at.column}: ${reason}`)
    this.at = at
  }
}
