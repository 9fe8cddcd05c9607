import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { displayPath, type FamilyLayout } from "../../config/family-layout.ts"
import type { GoldenResult } from "../../rules/project-facts.ts"

interface RootCodec {
  readonly encode: (message: unknown) => Uint8Array
  readonly decode: (bytes: Uint8Array) => unknown
}

/**
 * Decodes every golden vector of `version` with the project's current generated code and
 * re-encodes it, which must give the same bytes. The code is loaded from the project's sources,
 * never from a build of the package: they are TypeScript, so tsx loads them, for this import
 * alone (the CLI itself is compiled JavaScript and loads tsx only here).
 */
export async function verifyGoldenVectors(
  layout: FamilyLayout,
  version: number,
): Promise<GoldenResult> {
  const dir = layout.goldenDir === undefined ? undefined : join(layout.goldenDir, `v${version}`)
  const vectors =
    dir !== undefined && existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith(".bin"))
          .sort()
      : []
  if (dir === undefined || vectors.length === 0) return { version, vectors: 0, failures: [] }
  const entry = join(layout.genDir, `v${version}`, "index.ts")
  const at = (path: string) => ({ file: displayPath(layout, path), line: 1, column: 1 })
  let codecs: ReadonlyMap<string, RootCodec>
  try {
    const { tsImport } = await import("tsx/esm/api")
    codecs = rootCodecs(await tsImport(pathToFileURL(entry).href, import.meta.url))
  } catch (error) {
    const message = `cannot load the generated v${version} code: ${errorText(error)}`
    return { version, vectors: vectors.length, failures: [{ at: at(entry), message }] }
  }
  const failures = vectors.flatMap((name) => {
    const path = join(dir, name)
    const problem = checkVector(codecs, name, new Uint8Array(readFileSync(path)), version)
    return problem === undefined
      ? []
      : [{ at: at(path), message: `v${version} ${name}: ${problem}` }]
  })
  return { version, vectors: vectors.length, failures }
}

function checkVector(
  codecs: ReadonlyMap<string, RootCodec>,
  name: string,
  bytes: Uint8Array,
  version: number,
): string | undefined {
  const rootType = name.split(".")[0]!
  const codec = codecs.get(rootType)
  if (codec === undefined) return `v${version} has no root type ${rootType}`
  let message: unknown
  try {
    message = codec.decode(bytes)
  } catch (error) {
    return `no longer decodes with the current v${version} code: ${errorText(error)}`
  }
  let again: Uint8Array
  try {
    again = codec.encode(message)
  } catch (error) {
    return `decodes, but no longer re-encodes: ${errorText(error)}`
  }
  const difference = firstDifference(bytes, again)
  if (difference === undefined) return undefined
  const hex = (byte: number | undefined) =>
    byte === undefined ? "nothing" : `0x${byte.toString(16).padStart(2, "0")}`
  return `re-encodes to other bytes: byte ${difference} is ${hex(again[difference])} instead of ${hex(bytes[difference])} (${again.length} bytes instead of ${bytes.length})`
}

function firstDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  const length = Math.max(a.length, b.length)
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i
  return undefined
}

function rootCodecs(module: unknown): Map<string, RootCodec> {
  const table = isObject(module) ? module.rootTypes : undefined
  if (!isObject(table)) throw new Error("it exports no rootTypes table")
  const codecs = new Map<string, RootCodec>()
  for (const [name, codec] of Object.entries(table)) if (isRootCodec(codec)) codecs.set(name, codec)
  return codecs
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null
}

function isRootCodec(value: unknown): value is RootCodec {
  return isObject(value) && typeof value.encode === "function" && typeof value.decode === "function"
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
