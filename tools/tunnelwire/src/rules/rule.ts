import type { SchemaDiff } from "../diff/schema-diff.ts"
import type { SourcePosition } from "../schema/model.ts"
import type { ProjectFacts } from "./project-facts.ts"

/**
 * What a change does to two peers that disagree on it, in one direction:
 * - BREAKING: the reader rejects or misreads the writer's bytes whenever the writer uses what
 *   changed (a new union member breaks an old reader only when it is sent, but then always).
 * - DANGEROUS: the bytes still decode, but some values are rejected or read as other values.
 * - SAFE: every value reads back as it was written.
 */
export type Severity = "BREAKING" | "DANGEROUS" | "SAFE"

/**
 * - WIRE: what the bytes mean changes.
 * - SOURCE: the bytes stay; the generated TypeScript changes (code using it must follow).
 * - RELEASE: released versions are frozen, and their golden vectors must keep reading.
 * - CONVERTER: the hand-written converters between adjacent versions.
 */
export type Category = "WIRE" | "SOURCE" | "RELEASE" | "CONVERTER"

/** One place a rule matched, and what it says there. */
export interface Hit {
  readonly at: SourcePosition
  readonly message: string
}

interface RuleBase<Subject> {
  readonly id: string
  readonly category: Category
  /** An old peer reading what a new peer writes. */
  readonly oldReaderNewWriter: Severity
  /** A new peer reading what an old peer writes. */
  readonly newReaderOldWriter: Severity
  readonly purpose: string
  readonly check: (subject: Subject) => readonly Hit[]
}

/**
 * A rule over the changes between two schemas. Whether its findings fail the check depends on
 * what is compared: two revisions of one version must agree, two adjacent versions may not.
 */
export interface SchemaRule extends RuleBase<SchemaDiff> {
  readonly subject: "schemas"
}

/** A rule over the project as a whole; `fails` says whether a finding fails `tunnelwire check`. */
export interface ProjectRule extends RuleBase<ProjectFacts> {
  readonly subject: "project"
  readonly fails: boolean
}

export type Rule = SchemaRule | ProjectRule
