import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import {
  displayPath,
  type FamilyLayout,
  packageName,
  readSchemaFiles,
} from "../../config/family-layout.ts"
import { fingerprint } from "../../schema/fingerprint.ts"
import { parseSchemaFiles } from "../../schema/project-schemas.ts"
import { formatVersionsLock, readVersionsLock } from "../../schema/versions-lock.ts"
import { planGeneration } from "../gen/plan.ts"
import { planScaffolds } from "../gen/plan-scaffolds.ts"

/** One file bump writes, and what a person is told about it. */
export interface PlannedWrite {
  readonly path: string
  readonly content: string
  readonly action: "create" | "update"
  readonly what: string
}

export type BumpPlan =
  | {
      readonly kind: "bump"
      readonly from: number
      readonly to: number
      /** The new vN+1.bare. */
      readonly schema: PlannedWrite
      /** The lock, converters module, package exports and changeset. */
      readonly writes: readonly PlannedWrite[]
      /** Generated files whose content changes, written like `tunnelwire gen` would. */
      readonly generated: readonly PlannedWrite[]
    }
  /** Bumping again now would only copy an unedited copy: the state bump makes already holds. */
  | { readonly kind: "nothing"; readonly reason: string }
  /** The project is in a state bump must not build on. */
  | { readonly kind: "refused"; readonly reason: string }

/**
 * Plans releasing the newest version vN and opening vN+1 as its copy. Pure: reads, never writes.
 *
 * The idempotency rule: bump refuses to open a version while the newest one is unreleased and
 * still identical (same fingerprint) to the one before it, because that is exactly the state a
 * previous bump left; a second bump would only release an unedited copy and stack another.
 */
export function planBump(layout: FamilyLayout): BumpPlan {
  const files = readSchemaFiles(layout)
  const schemas = parseSchemaFiles(layout, files)
  const lock = readVersionsLock(layout.lockFile)
  for (const schema of schemas) {
    const pinned = lock.released[String(schema.descriptor.version)]?.fingerprint
    if (pinned !== undefined && pinned !== fingerprint(schema.descriptor)) {
      return {
        kind: "refused",
        reason: `v${schema.descriptor.version} is released but ${schema.file} no longer has its pinned fingerprint; run tunnelwire check`,
      }
    }
  }
  const newest = schemas[schemas.length - 1]!
  const previous = schemas[schemas.length - 2]
  const n = newest.descriptor.version
  const isReleased = lock.released[String(n)] !== undefined
  if (
    !isReleased &&
    previous !== undefined &&
    fingerprint(previous.descriptor) === fingerprint(newest.descriptor)
  ) {
    return {
      kind: "nothing",
      reason: `v${n} is not released and still identical to v${n - 1}: edit ${newest.file}; the next bump releases it and opens v${n + 1}`,
    }
  }

  const next = n + 1
  const newFile = {
    version: next,
    path: join(layout.schemaDir, `v${next}.bare`),
    source: copiedSchema(files[files.length - 1]!.source, n, next),
  }
  const schema: PlannedWrite = {
    path: newFile.path,
    content: newFile.source,
    action: "create",
    what: `a copy of v${n}`,
  }
  const writes: PlannedWrite[] = []
  if (!isReleased) {
    const released = {
      ...lock.released,
      [String(n)]: { fingerprint: fingerprint(newest.descriptor) },
    }
    writes.push({
      path: layout.lockFile,
      content: formatVersionsLock({ released }),
      action: "update",
      what: `release v${n}: pin its fingerprint`,
    })
  }
  const generated = planGeneration(layout, [...files, newFile]).flatMap((file): PlannedWrite[] => {
    const exists = existsSync(file.path)
    if (exists && readFileSync(file.path, "utf8") === file.content) return []
    return [{ ...file, action: exists ? "update" : "create", what: "generated" }]
  })
  const descriptors = [...schemas.map((s) => s.descriptor), { ...newest.descriptor, version: next }]
  for (const file of planScaffolds(layout, descriptors, [n]).files) {
    writes.push({
      path: file.path,
      content: file.content,
      action: file.created ? "create" : "update",
      what: `hand-written converters between v${n} and v${next}`,
    })
  }
  const packageJson = packageExports(layout, n, next)
  if (packageJson !== undefined) {
    writes.push({
      path: packageJson.path,
      content: packageJson.content,
      action: "update",
      what: `export ./v${next}; ./latest is v${next}`,
    })
  }
  const name = packageName(layout)
  const changeset =
    layout.changesetDir === undefined
      ? undefined
      : join(layout.changesetDir, `${layout.family}-v${next}.md`)
  if (changeset !== undefined && name !== undefined && !existsSync(changeset)) {
    writes.push({
      path: changeset,
      content: changesetText(name, n, next, displayPath(layout, layout.lockFile)),
      action: "create",
      what: `changeset for ${name}`,
    })
  }
  return { kind: "bump", from: n, to: next, schema, writes, generated }
}

/** vN's schema under a header for vN+1; vN's own header comment stays with vN. */
function copiedSchema(source: string, from: number, to: number): string {
  const lines = source.split("\n")
  const body = lines.slice(lines.findIndex((line) => !line.startsWith("#")))
  return [
    `# Protocol version ${to}, opened by \`tunnelwire bump\` as a copy of v${from}. Not released yet:`,
    "# edit it freely. The next `tunnelwire bump` releases it; from then on it is frozen (its",
    "# fingerprint is pinned in versions.json and enforced by `tunnelwire check`).",
    ...body,
  ].join("\n")
}

/**
 * The family package's manifest with `./vN+1` exported after `./vN` and `./latest` pointed at it,
 * for a package that exports each version; otherwise nothing to change.
 */
function packageExports(
  layout: FamilyLayout,
  from: number,
  to: number,
): { path: string; content: string } | undefined {
  const path = layout.packageJson
  if (path === undefined || !existsSync(path)) return undefined
  const text = readFileSync(path, "utf8")
  const manifest: unknown = JSON.parse(text)
  if (typeof manifest !== "object" || manifest === null || !("exports" in manifest))
    return undefined
  const { exports } = manifest
  if (typeof exports !== "object" || exports === null) return undefined
  const entries = Object.entries(exports)
  const current = entries.find(([key]) => key === `./v${from}`)
  if (current === undefined || entries.some(([key]) => key === `./v${to}`)) return undefined
  const moved: unknown = JSON.parse(JSON.stringify(current[1]).replaceAll(`/v${from}/`, `/v${to}/`))
  const updated = Object.fromEntries(
    entries.flatMap(([key, value]): [string, unknown][] => {
      if (key === `./v${from}`)
        return [
          [key, value],
          [`./v${to}`, moved],
        ]
      return key === "./latest" ? [[key, moved]] : [[key, value]]
    }),
  )
  return { path, content: `${JSON.stringify({ ...manifest, exports: updated }, null, 2)}\n` }
}

function changesetText(name: string, from: number, to: number, lockFile: string): string {
  return [
    "---",
    `"${name}": minor`,
    "---",
    "",
    `Protocol v${to} opens as a copy of v${from}, and v${from} is released: its schema is frozen and`,
    `its fingerprint pinned in \`${lockFile}\`.`,
    "",
    `Before this is merged, say what v${to} changes on the wire and why, with a before/after for`,
    "every message whose shape changes.",
    "",
  ].join("\n")
}
