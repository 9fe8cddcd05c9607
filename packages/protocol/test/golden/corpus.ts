import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { stringify } from "../../src/index.js"

/** One message of a fixture table. */
export interface GoldenFixture<Message> {
  /** `<Member>[.<detail>]`: the root union member, then what sets this fixture apart. */
  readonly name: string
  readonly message: Message
}

export interface RootCodec<Message> {
  readonly encode: (message: Message) => Uint8Array
  readonly decode: (bytes: Uint8Array) => Message
}

/** A version's fixtures: one list per root type, each message typed by that root's encoder. */
export type FixtureTable<RootTypes> = {
  readonly [Root in keyof RootTypes]: RootTypes[Root] extends {
    readonly encode: (message: infer Message) => Uint8Array
  }
    ? readonly GoldenFixture<Message>[]
    : never
}

/** A fixture bound to its version's codec, so every root type of every version is checked alike. */
export interface GoldenEntry {
  readonly version: number
  readonly rootType: string
  /** `<RootType>.<Member>[.<detail>]`: the name of its `.bin` and `.txt`. */
  readonly stem: string
  readonly message: unknown
  readonly encode: () => Uint8Array
  readonly decode: (bytes: Uint8Array) => unknown
  readonly encodeDecoded: (bytes: Uint8Array) => Uint8Array
}

export function goldenEntries<Message>(
  version: number,
  rootType: string,
  codec: RootCodec<Message>,
  fixtures: readonly GoldenFixture<Message>[],
): GoldenEntry[] {
  return fixtures.map(({ name, message }) => ({
    version,
    rootType,
    stem: `${rootType}.${name}`,
    message,
    encode: () => codec.encode(message),
    decode: (bytes) => codec.decode(bytes),
    encodeDecoded: (bytes) => codec.encode(codec.decode(bytes)),
  }))
}

export const GOLDEN_DIR = fileURLToPath(new URL(".", import.meta.url))

export function versionDir(version: number): string {
  return join(GOLDEN_DIR, `v${version}`)
}

export const UPDATE_COMMAND = "npm run golden:update -w @tunnelwire/protocol"

/**
 * What a version's directory must hold, by file name: `<stem>.bin` with the encoded bytes and
 * `<stem>.txt` beside it. Two fixtures with one stem would overwrite each other, so that throws.
 */
export function goldenFiles(entries: readonly GoldenEntry[]): Map<string, Uint8Array | string> {
  const files = new Map<string, Uint8Array | string>()
  for (const entry of entries) {
    const binName = `${entry.stem}.bin`
    if (files.has(binName)) throw new Error(`v${entry.version}: two fixtures named ${entry.stem}`)
    const bytes = entry.encode()
    files.set(binName, bytes)
    files.set(`${entry.stem}.txt`, goldenText(entry, bytes))
  }
  return files
}

/** The line a person reads for the message: unredacted, so the corpus pins every header. */
export function stringifyLine(entry: GoldenEntry): string {
  return stringify(entry.message, { version: entry.version, type: entry.rootType, redact: false })
}

/** The `.txt` beside a `.bin`: the stringify line, a blank line, then the hex dump. */
export function goldenText(entry: GoldenEntry, bytes: Uint8Array): string {
  return `${stringifyLine(entry)}\n\n${hexDump(bytes)}`
}

const BYTES_PER_LINE = 16

/** `offset  hex bytes (two groups of 8)  |ascii|`, one line per 16 bytes, newline-terminated. */
export function hexDump(bytes: Uint8Array): string {
  let out = ""
  for (let offset = 0; offset < bytes.length; offset += BYTES_PER_LINE) {
    const line = bytes.subarray(offset, offset + BYTES_PER_LINE)
    const cells: string[] = []
    for (let i = 0; i < BYTES_PER_LINE; i++) {
      const byte = line[i]
      cells.push(byte === undefined ? "  " : byte.toString(16).padStart(2, "0"))
    }
    const hex = `${cells.slice(0, 8).join(" ")}  ${cells.slice(8).join(" ")}`
    const ascii = Array.from(line, (byte) =>
      byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".",
    ).join("")
    out += `${offset.toString(16).padStart(8, "0")}  ${hex}  |${ascii}|\n`
  }
  return out
}
