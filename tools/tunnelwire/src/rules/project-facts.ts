import type { PairCoverage } from "../converters/coverage.ts"
import type { SourcePosition } from "../schema/model.ts"

/** What `tunnelwire check` gathered about a project, for the rules that look at it whole. */
export interface ProjectFacts {
  readonly releases: readonly ReleaseState[]
  readonly golden: readonly GoldenResult[]
  readonly converters: readonly PairCoverage[]
  /** Present only when comparing with a git ref, for a family whose package uses changesets. */
  readonly changeset: ChangesetState | undefined
}

/** A version that is released now, or was at the ref compared with. */
export interface ReleaseState {
  readonly version: number
  /** The schema file as messages show it. */
  readonly file: string
  /** `undefined` when the file is gone. */
  readonly fingerprint: string | undefined
  /** Every fingerprint the version was released with, and who says so. */
  readonly pins: readonly { readonly by: string; readonly fingerprint: string }[]
  /** The ref whose versions.json pins the version while the current one does not. */
  readonly unpinnedSince: string | undefined
  /** The first change found by comparing with the ref's copy, when there is one. */
  readonly firstChange: SourcePosition | undefined
}

export interface GoldenResult {
  readonly version: number
  readonly vectors: number
  readonly failures: readonly { readonly at: SourcePosition; readonly message: string }[]
}

export interface ChangesetState {
  readonly ref: string
  /** What changed in the schemas since the ref, such as "v4 added" or "v3 changed". */
  readonly schemaChanges: readonly string[]
  /** The package the family ships in, which a changeset must name. */
  readonly package: string
  /** Changeset files added since the ref that name the package. */
  readonly changesets: readonly string[]
  readonly at: SourcePosition
}
