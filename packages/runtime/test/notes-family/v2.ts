// Version 2 of "notes" (see v1.ts): a note gains a color and an edit count.
//
//   type NoteId data[4]
//   type Color enum { RED GREEN }
//   type Note struct { id: NoteId  text: str  pinned: bool  color: optional<Color>  edits: u64 }
//   type Deleted struct { id: NoteId }
//   type Event union { Note | Deleted }
import {
  type BytesLike,
  bare,
  decodeRoot,
  encodeRoot,
  invalid,
  putFixedData,
  putString,
  putU64,
  readBool,
  readFixedData,
  readLengthPrefixedString,
  readU8,
  readU64,
  type SchemaDescriptor,
  type StringifyOptions,
  sizeFixedData,
  sizeString,
  sizeU64,
  stringifyValue,
} from "../../src/codegen.js"

export const version = 2

export type Color = "RED" | "GREEN"
const COLORS: readonly Color[] = ["RED", "GREEN"]

export interface Note {
  readonly id: ArrayBuffer
  readonly text: string
  readonly pinned: boolean
  readonly color: Color | null
  readonly edits: bigint
}
export interface Deleted {
  readonly id: ArrayBuffer
}
export type Event =
  | { readonly tag: "Note"; readonly val: Note }
  | { readonly tag: "Deleted"; readonly val: Deleted }

export const schema: SchemaDescriptor = {
  version,
  roots: ["Event"],
  types: {
    NoteId: { kind: "data", length: 4 },
    Color: {
      kind: "enum",
      values: [
        { name: "RED", value: 0 },
        { name: "GREEN", value: 1 },
      ],
    },
    Note: {
      kind: "struct",
      fields: [
        { name: "id", type: { kind: "ref", name: "NoteId" } },
        { name: "text", type: { kind: "str" } },
        { name: "pinned", type: { kind: "bool" } },
        { name: "color", type: { kind: "optional", of: { kind: "ref", name: "Color" } } },
        { name: "edits", type: { kind: "u64" } },
      ],
    },
    Deleted: { kind: "struct", fields: [{ name: "id", type: { kind: "ref", name: "NoteId" } }] },
    Event: {
      kind: "union",
      members: [
        { tag: 0, name: "Note", type: { kind: "ref", name: "Note" } },
        { tag: 1, name: "Deleted", type: { kind: "ref", name: "Deleted" } },
      ],
    },
  },
}

function readColor(bc: bare.ByteCursor): Color {
  const offset = bc.offset
  const color = COLORS[readU8(bc)]
  if (color === undefined) throw new bare.BareError(offset, "invalid enum value")
  return color
}

function readNote(bc: bare.ByteCursor): Note {
  return {
    id: readFixedData(bc, 4),
    text: readLengthPrefixedString(bc),
    pinned: readBool(bc),
    color: readBool(bc) ? readColor(bc) : null,
    edits: readU64(bc),
  }
}

function readEvent(bc: bare.ByteCursor): Event {
  const offset = bc.offset
  const tag = readU8(bc)
  switch (tag) {
    case 0:
      return { tag: "Note", val: readNote(bc) }
    case 1:
      return { tag: "Deleted", val: { id: readFixedData(bc, 4) } }
    default:
      throw new bare.BareError(offset, "invalid tag")
  }
}

function sizeNote(x: Note): number {
  const pinned = x.pinned === true || x.pinned === false ? 1 : invalid()
  const color = x.color === null ? 1 : COLORS.includes(x.color) ? 2 : invalid()
  return sizeFixedData(x.id, 4) + sizeString(x.text) + pinned + color + sizeU64(x.edits)
}

function sizeEvent(x: Event): number {
  switch (x.tag) {
    case "Note":
      return 1 + sizeNote(x.val)
    case "Deleted":
      return 1 + sizeFixedData(x.val.id, 4)
    default:
      return invalid()
  }
}

function putNote(b: Uint8Array, o: number, x: Note): number {
  o = putFixedData(b, o, x.id)
  o = putString(b, o, x.text)
  b[o++] = x.pinned ? 1 : 0
  if (x.color === null) b[o++] = 0
  else {
    b[o++] = 1
    b[o++] = COLORS.indexOf(x.color)
  }
  return putU64(b, o, x.edits)
}

function putEvent(b: Uint8Array, o: number, x: Event): number {
  if (x.tag === "Note") {
    b[o++] = 0
    return putNote(b, o, x.val)
  }
  b[o++] = 1
  return putFixedData(b, o, x.val.id)
}

export function encodeEvent(message: Event): Uint8Array {
  return encodeRoot(sizeEvent, putEvent, message, schema, "Event")
}

export function decodeEvent(bytes: BytesLike): Event {
  return decodeRoot(readEvent, bytes, "Event", version)
}

export function stringifyEvent(value: Event, options?: StringifyOptions): string {
  return stringifyValue(schema, "Event", value, options)
}
