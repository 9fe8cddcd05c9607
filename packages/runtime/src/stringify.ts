import { namedType, resolveType, type SchemaDescriptor, type TypeDescriptor } from "./descriptor.js"
import { toHex } from "./hex.js"
import { redactValue } from "./redact-value.js"

export interface StringifyOptions {
  /** Replace secrets in string maps (authorization, cookies, tokens). Default `true`. */
  readonly redact?: boolean
  /** Bytes of a payload shown before it is cut. Default 16. */
  readonly previewBytes?: number
  /** Characters of a string shown before it is cut. Default 80. */
  readonly maxStringLength?: number
  /** Entries of a list or map shown before it is cut. Default 8. */
  readonly maxEntries?: number
}

interface Settings {
  readonly redact: boolean
  readonly previewBytes: number
  readonly maxStringLength: number
  readonly maxEntries: number
}

/**
 * One line, for people: `Chunk{index: 3, data: 64B "hello…", last: false}`.
 * Fixed-length data (ids) prints as short hex with its length, payloads as their length and a
 * preview, 64-bit integers with `n`, maps with their entries, secrets redacted.
 */
export function stringifyValue(
  schema: SchemaDescriptor,
  typeName: string,
  value: unknown,
  options: StringifyOptions = {},
): string {
  const settings: Settings = {
    redact: options.redact ?? true,
    previewBytes: options.previewBytes ?? 16,
    maxStringLength: options.maxStringLength ?? 80,
    maxEntries: options.maxEntries ?? 8,
  }
  const shown = settings.redact ? redactValue(schema, typeName, value) : value
  return show(schema, namedType(schema, typeName), shown, settings, typeName)
}

function show(
  schema: SchemaDescriptor,
  type: TypeDescriptor,
  value: unknown,
  settings: Settings,
  name: string | undefined,
): string {
  const resolved = resolveType(schema, type)
  const typeName = type.kind === "ref" ? type.name : name
  switch (resolved.kind) {
    case "void":
      return typeName ?? "void"
    case "bool":
    case "u8":
    case "u16":
    case "u32":
    case "i8":
    case "i16":
    case "i32":
    case "f32":
    case "f64":
      return String(value)
    case "u64":
    case "i64":
    case "uint":
    case "int":
      return `${String(value)}n`
    case "str":
      return showString(value as string, settings.maxStringLength)
    case "enum":
      return String(value)
    case "data":
      return resolved.length === undefined
        ? showPayload(new Uint8Array(value as ArrayBuffer), settings.previewBytes)
        : showId(new Uint8Array(value as ArrayBuffer))
    case "optional":
      return value === null || value === undefined
        ? "null"
        : show(schema, resolved.of, value, settings, undefined)
    case "list": {
      const items = value as readonly unknown[]
      const shown = items
        .slice(0, settings.maxEntries)
        .map((item) => show(schema, resolved.of, item, settings, undefined))
      return `${typeName ?? ""}[${shown.join(", ")}${more(items.length, settings.maxEntries)}]`
    }
    case "map": {
      const map = value as ReadonlyMap<unknown, unknown>
      const shown: string[] = []
      for (const [key, entry] of map) {
        if (shown.length === settings.maxEntries) break
        const entryText = show(schema, resolved.value, entry, settings, undefined)
        shown.push(`${show(schema, resolved.key, key, settings, undefined)}: ${entryText}`)
      }
      return `${typeName ?? ""}{${shown.join(", ")}${more(map.size, settings.maxEntries)}}`
    }
    case "struct": {
      const record = value as Readonly<Record<string, unknown>>
      const fields = resolved.fields.map(
        (field) =>
          `${field.name}: ${show(schema, field.type, record[field.name], settings, undefined)}`,
      )
      return `${typeName ?? ""}{${fields.join(", ")}}`
    }
    case "union": {
      const { tag, val } = value as { tag: string | number; val: unknown }
      const member = resolved.members.find((m) => m.name === tag)
      if (member === undefined) return `<unknown member ${String(tag)}>`
      return show(schema, member.type, val, settings, String(member.name))
    }
  }
}

function more(total: number, shown: number): string {
  return total > shown ? `, …(+${total - shown})` : ""
}

/** Line breaks JSON.stringify leaves alone but terminals may honour (NEL, LS, PS). */
const LINE_BREAKS = /[\u0085\u2028\u2029]/g

function quoted(text: string): string {
  return JSON.stringify(text).replace(
    LINE_BREAKS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  )
}

function showString(text: string, max: number): string {
  if (text.length <= max) return quoted(text)
  return `${quoted(text.slice(0, max))}…(${text.length} chars)`
}

function showId(bytes: Uint8Array): string {
  const hex = toHex(bytes.subarray(0, 4))
  return bytes.length > 4 ? `${hex}…(${bytes.length})` : `${hex}(${bytes.length})`
}

function showPayload(bytes: Uint8Array, previewBytes: number): string {
  const head = bytes.subarray(0, previewBytes)
  const cut = bytes.length > previewBytes ? "…" : ""
  const text = printableText(head)
  const preview = text === undefined ? toHex(head) : quoted(text)
  return bytes.length === 0 ? "0B" : `${bytes.length}B ${preview}${cut}`
}

function printableText(bytes: Uint8Array): string | undefined {
  let text: string
  try {
    // A preview may cut a multi-byte character: `stream` keeps the cut from being an error.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true })
  } catch {
    return undefined
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mean "binary"
  return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? undefined : text
}
