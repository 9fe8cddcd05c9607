import type { SchemaDescriptor } from "../schema/model.ts"
import { runtimeImport } from "./runtime-import.ts"

/**
 * `gen/versioned.ts`: for every root type of the latest version, encoders that write any older
 * version and decoders that read any version into the latest shape, each running exactly the
 * chain of adjacent steps between the two versions; plus the same over embedded-version frames.
 */
export function emitVersionedModule(schemas: readonly SchemaDescriptor[]): string {
  const versions = schemas.map((s) => s.version)
  const latest = schemas[schemas.length - 1]!
  const L = latest.version
  const lines: string[] = [
    runtimeImport([
      "type BytesLike",
      "checkedVersion",
      "type DowngradeOptions",
      "MessageDropped",
      "migrationContext",
      "readEmbeddedVersion",
      "upgradeContext",
      "versionNamer",
      "writeEmbeddedVersion",
    ]),
    ...versions.map((v) => `import * as v${v} from "./v${v}/index.js"`),
    ...versions.slice(0, -1).map((v) => `import * as m${v} from "./migrations/v${v}-v${v + 1}.js"`),
    "",
    `const VERSIONS = [${versions.join(", ")}] as const`,
    "",
    "// Upgrades never depend on options: one context per step, made once.",
    ...versions
      .slice(0, -1)
      .map((v) => `const UPGRADE_${v}_${v + 1} = upgradeContext(${v}, ${v + 1})`),
    "",
    "export interface VersionOptions {",
    "  /** Protocol version of the bytes: they do not say it themselves, so it has no default. */",
    "  readonly version: number",
    "}",
    "",
    "export interface EncodeOptions extends VersionOptions, DowngradeOptions {}",
    "",
    "/** The version a caller named; a missing or unknown one is a `VersionError`. */",
    "const namedVersion = versionNamer(VERSIONS)",
    "",
    "export interface DecodedFrame<T> {",
    "  readonly version: number",
    "  readonly message: T",
    "}",
    "",
  ]
  const roots = latest.roots.filter((root) => schemas.every((s) => s.types[root] !== undefined))
  for (const root of roots) lines.push(...emitRoot(root, versions, L))
  return `${lines.join("\n").trimEnd()}\n`
}

function emitRoot(root: string, versions: readonly number[], latest: number): string[] {
  const upChain = (v: number, expr: string): string => {
    let out = expr
    for (let step = v; step < latest; step++) {
      out = `m${step}.upgrade.${root}(${out}, UPGRADE_${step}_${step + 1})`
    }
    return out
  }
  const downChain = (v: number, expr: string): string => {
    let out = expr
    for (let step = latest - 1; step >= v; step--) {
      out = `m${step}.downgrade.${root}(${out}, migrationContext(${step + 1}, ${step}, options))`
    }
    return out
  }
  const L = `v${latest}.${root}`
  return [
    `/** Reads a \`${root}\` of any version into the v${latest} shape. Throws \`DecodeError\` or \`VersionError\`. */`,
    `export function decode${root}(bytes: BytesLike, options: VersionOptions): ${L} {`,
    `  const version = namedVersion(options, "decode${root}")`,
    "  switch (version) {",
    ...versions.flatMap((v) => [
      `    case ${v}:`,
      `      return ${upChain(v, `v${v}.decode${root}(bytes)`)}`,
    ]),
    "  }",
    "}",
    "",
    `/** Upgrades a decoded \`${root}\` value of version \`from\` to the v${latest} shape. */`,
    ...versions.map(
      (v) => `export function upgrade${root}(message: v${v}.${root}, from: ${v}): ${L}`,
    ),
    `export function upgrade${root}(message: ${versions.map((v) => `v${v}.${root}`).join(" | ")}, from: number): ${L} {`,
    "  switch (checkedVersion(from, VERSIONS)) {",
    ...versions.flatMap((v) => [
      `    case ${v}:`,
      `      return ${upChain(v, `message as v${v}.${root}`)}`,
    ]),
    "  }",
    "}",
    "",
    `/**`,
    ` * Downgrades a v${latest} \`${root}\` to version \`to\`. A loss of meaning throws \`DowngradeError\`,`,
    ` * or under \`lossy: "drop"\` is reported to \`onLoss\`; a message with no counterpart returns \`null\`.`,
    " */",
    ...versions.map(
      (v) =>
        `export function downgrade${root}(message: ${L}, to: ${v}, options?: DowngradeOptions): v${v}.${root} | null`,
    ),
    `export function downgrade${root}(message: ${L}, to: number, options: DowngradeOptions = {}): ${versions.map((v) => `v${v}.${root}`).join(" | ")} | null {`,
    "  try {",
    "    switch (checkedVersion(to, VERSIONS)) {",
    ...versions.flatMap((v) => [`      case ${v}:`, `        return ${downChain(v, "message")}`]),
    "    }",
    "  } catch (error) {",
    "    if (error instanceof MessageDropped) return null",
    "    throw error",
    "  }",
    "}",
    "",
    `/**`,
    ` * Writes a v${latest} \`${root}\` as the bytes of \`options.version\`.`,
    ` * Throws \`DowngradeError\` when that version cannot carry its meaning; under \`lossy: "drop"\``,
    " * returns `null` for a message the version has no counterpart for.",
    " */",
    `export function encode${root}(message: ${L}, options: EncodeOptions & { readonly lossy?: "refuse" }): Uint8Array`,
    `export function encode${root}(message: ${L}, options: EncodeOptions): Uint8Array | null`,
    `export function encode${root}(message: ${L}, options: EncodeOptions): Uint8Array | null {`,
    `  const version = namedVersion(options, "encode${root}")`,
    "  try {",
    "    switch (version) {",
    ...versions.flatMap((v) => [
      `      case ${v}:`,
      `        return v${v}.encode${root}(${downChain(v, "message")})`,
    ]),
    "    }",
    "  } catch (error) {",
    "    if (error instanceof MessageDropped) return null",
    "    throw error",
    "  }",
    "}",
    "",
    `/** Reads an embedded-version frame (u16 LE version, then payload) of \`${root}\` into the v${latest} shape. */`,
    `export function decode${root}Frame(frame: BytesLike): DecodedFrame<${L}> {`,
    "  const { version, payload } = readEmbeddedVersion(frame)",
    `  return { version, message: decode${root}(payload, { version }) }`,
    "}",
    "",
    `/** Writes a v${latest} \`${root}\` as an embedded-version frame of \`options.version\`. */`,
    `export function encode${root}Frame(message: ${L}, options: EncodeOptions & { readonly lossy?: "refuse" }): Uint8Array`,
    `export function encode${root}Frame(message: ${L}, options: EncodeOptions): Uint8Array | null`,
    `export function encode${root}Frame(message: ${L}, options: EncodeOptions): Uint8Array | null {`,
    `  const version = namedVersion(options, "encode${root}Frame")`,
    `  const payload = encode${root}(message, { ...options, version })`,
    "  return payload === null ? null : writeEmbeddedVersion(version, payload)",
    "}",
    "",
  ]
}
