import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import {
  convertersPath,
  displayPath,
  type FamilyLayout,
  listSchemaFiles,
  packageName,
} from "../../config/family-layout.ts"
import { type PairCoverage, pairCoverage } from "../../converters/coverage.ts"
import { readHandWrittenModule } from "../../converters/hand-written-module.ts"
import { diffSchemas } from "../../diff/schema-diff.ts"
import { type Finding, projectFindings, schemaFindings } from "../../rules/findings.ts"
import type { ChangesetState, ReleaseState } from "../../rules/project-facts.ts"
import { fingerprint } from "../../schema/fingerprint.ts"
import type { SourcePosition } from "../../schema/model.ts"
import { type ParsedSchema, parseSchema } from "../../schema/parse-schema.ts"
import { parseSchemaFiles } from "../../schema/project-schemas.ts"
import {
  readVersionsLock,
  releasedVersions,
  type VersionsLock,
} from "../../schema/versions-lock.ts"
import { type RefSnapshot, readRefSnapshot } from "./git-ref.ts"
import { verifyGoldenVectors } from "./golden-vectors.ts"
import type { CheckReport, Scope } from "./report.ts"

/**
 * Checks a project: what changed between adjacent versions (informative), whether released
 * versions still have their pinned fingerprints, whether their golden vectors still read back,
 * whether every changed type has its converters, and, against a git ref, what changed since.
 */
export async function checkProject(
  layout: FamilyLayout,
  against: string | undefined,
): Promise<CheckReport> {
  const schemas = parseSchemaFiles(layout, listSchemaFiles(layout))
  const byVersion = new Map(schemas.map((schema) => [schema.descriptor.version, schema]))
  const lock = readVersionsLock(layout.lockFile)
  const snapshot = against === undefined ? undefined : readRefSnapshot(layout, against)
  const released = [
    ...new Set([
      ...releasedVersions(lock),
      ...releasedVersions(snapshot?.lock ?? { released: {} }),
    ]),
  ].sort((a, b) => a - b)
  const isReleased = (version: number) => released.includes(version)

  const scopes: Scope[] = []
  const findings: Finding[] = []
  const converters: PairCoverage[] = []
  for (const newer of schemas) {
    const older = byVersion.get(newer.descriptor.version - 1)
    if (older === undefined) continue
    const a = older.descriptor.version
    const b = newer.descriptor.version
    const scope = { name: `v${a} → v${b}`, settled: isReleased(a) && isReleased(b) }
    scopes.push(scope)
    findings.push(
      ...schemaFindings({ diff: diffSchemas(older, newer), scope: scope.name, kind: "evolution" }),
    )
    converters.push(readCoverage(layout, older, newer))
  }

  const firstChanges = new Map<number, SourcePosition>()
  for (const previous of snapshot?.schemas ?? []) {
    const current = byVersion.get(previous.version)
    if (current === undefined) continue
    const before = parseSchema(previous.source, previous.file, previous.version)
    if (fingerprint(before.descriptor) === fingerprint(current.descriptor)) continue
    const scope = { name: `v${previous.version} since ${snapshot!.ref}`, settled: false }
    scopes.push(scope)
    const kind = isReleased(previous.version) ? "revision" : "draft"
    const revision = schemaFindings({ diff: diffSchemas(before, current), scope: scope.name, kind })
    findings.push(...revision)
    const first = revision.find((finding) => finding.file === current.file)
    if (first !== undefined) firstChanges.set(previous.version, first)
  }

  const golden = []
  for (const version of released) {
    if (byVersion.has(version)) golden.push(await verifyGoldenVectors(layout, version))
  }
  scopes.push({ name: "project", settled: false })
  findings.push(
    ...projectFindings({
      releases: released.map((version) =>
        releaseState(layout, version, byVersion.get(version), lock, snapshot, firstChanges),
      ),
      golden,
      converters,
      changeset: snapshot === undefined ? undefined : changesetState(layout, schemas, snapshot),
    }),
  )
  return {
    family: layout.family,
    versions: schemas.map((schema) => schema.descriptor.version),
    released,
    against,
    scopes,
    findings,
    converters,
    golden,
  }
}

/**
 * Compares two schema files as two copies of one version, as peers that both claim it would:
 * every finding that is not SAFE both ways fails.
 */
export function checkSchemaPair(
  older: { readonly file: string; readonly source: string },
  newer: { readonly file: string; readonly source: string },
): CheckReport {
  const scope = `${older.file} → ${newer.file}`
  const diff = diffSchemas(
    parseSchema(older.source, older.file, 1),
    parseSchema(newer.source, newer.file, 1),
  )
  return {
    versions: [],
    released: [],
    against: undefined,
    scopes: [{ name: scope, settled: false }],
    findings: schemaFindings({ diff, scope, kind: "revision" }),
    converters: [],
    golden: [],
  }
}

function readCoverage(
  layout: FamilyLayout,
  older: ParsedSchema,
  newer: ParsedSchema,
): PairCoverage {
  const path = convertersPath(layout, older.descriptor.version)
  const shown = displayPath(layout, path)
  const module = existsSync(path)
    ? readHandWrittenModule(shown, readFileSync(path, "utf8"))
    : undefined
  return pairCoverage(older, newer, module, shown)
}

function releaseState(
  layout: FamilyLayout,
  version: number,
  schema: ParsedSchema | undefined,
  lock: VersionsLock,
  snapshot: RefSnapshot | undefined,
  firstChanges: ReadonlyMap<number, SourcePosition>,
): ReleaseState {
  const pinned = lock.released[String(version)]?.fingerprint
  const pinnedAtRef = snapshot?.lock.released[String(version)]?.fingerprint
  const pins = [
    ...(pinned === undefined ? [] : [{ by: "versions.json", fingerprint: pinned }]),
    ...(pinnedAtRef === undefined || pinnedAtRef === pinned
      ? []
      : [{ by: `versions.json at ${snapshot!.ref}`, fingerprint: pinnedAtRef }]),
  ]
  return {
    version,
    file: schema?.file ?? displayPath(layout, join(layout.schemaDir, `v${version}.bare`)),
    fingerprint: schema === undefined ? undefined : fingerprint(schema.descriptor),
    pins,
    unpinnedSince: pinned === undefined && pinnedAtRef !== undefined ? snapshot!.ref : undefined,
    firstChange: firstChanges.get(version),
  }
}

/** Whether the schemas changed since the ref and which new changesets name the family's package. */
function changesetState(
  layout: FamilyLayout,
  schemas: readonly ParsedSchema[],
  snapshot: RefSnapshot,
): ChangesetState | undefined {
  const changesetDir = layout.changesetDir
  const name = packageName(layout)
  if (changesetDir === undefined || name === undefined) return undefined
  const now = new Map(schemas.map((s) => [s.descriptor.version, fingerprint(s.descriptor)]))
  const before = new Map(
    snapshot.schemas.map((s) => [
      s.version,
      fingerprint(parseSchema(s.source, s.file, s.version).descriptor),
    ]),
  )
  const versions = [...new Set([...now.keys(), ...before.keys()])].sort((a, b) => a - b)
  const schemaChanges = versions.flatMap((version) => {
    if (!before.has(version)) return [`v${version} added`]
    if (!now.has(version)) return [`v${version} removed`]
    return before.get(version) === now.get(version) ? [] : [`v${version} changed`]
  })
  const namesPackage = new RegExp(`^\\s*["']?${escapeRegExp(name)}["']?\\s*:`, "m")
  const changesets = existsSync(changesetDir)
    ? readdirSync(changesetDir).filter(
        (file) =>
          file.endsWith(".md") &&
          file !== "README.md" &&
          !snapshot.changesets.has(file) &&
          namesPackage.test(readFileSync(join(changesetDir, file), "utf8")),
      )
    : []
  const firstChanged = versions.find((version) => before.get(version) !== now.get(version))
  const file = displayPath(layout, join(layout.schemaDir, `v${firstChanged ?? 1}.bare`))
  return {
    ref: snapshot.ref,
    package: name,
    schemaChanges,
    changesets,
    at: { file, line: 1, column: 1 },
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
}
