// Version 2 of "notes" (see v1.ts): a note gains a color and an edit count.
//
//   type NoteId data[4]
//   type Color enum { RED GREEN }
//   type Note struct { id: NoteId  text: str  pinned: bool  color: optional<Color>  edits: u64 }
//   type Deleted struct { id: NoteId }
//   type Event union { Note | Deleted }
import {
  bare,
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
  sizeFixedData,
  sizeString,
  sizeU64,
} from "../../src/codegen.js"
import {
  type Event as EventOf,
  eventFunctions,
  SHARED_TYPES,
  V1_NOTE_FIELDS,
} from "./event-codec.js"

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
export type Event = EventOf<Note>

export const schema: SchemaDescriptor = {
  version,
  roots: ["Event"],
  types: {
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
        ...V1_NOTE_FIELDS,
        { name: "color", type: { kind: "optional", of: { kind: "ref", name: "Color" } } },
        { name: "edits", type: { kind: "u64" } },
      ],
    },
    ...SHARED_TYPES,
  },
}

function readColor(bc: bare.ByteCursor): Color {
  const offset = bc.offset
  const color = COLORS[readU8(bc)]
  if (color === undefined) throw new bare.BareError(offset, "invalid enum value")
  return color
}

export const { encodeEvent, decodeEvent, stringifyEvent } = eventFunctions<Note>(version, schema, {
  read: (bc) => ({
    id: readFixedData(bc, 4),
    text: readLengthPrefixedString(bc),
    pinned: readBool(bc),
    color: readBool(bc) ? readColor(bc) : null,
    edits: readU64(bc),
  }),
  size: (x) => {
    const pinned = x.pinned === true || x.pinned === false ? 1 : invalid()
    const color = x.color === null ? 1 : COLORS.includes(x.color) ? 2 : invalid()
    return sizeFixedData(x.id, 4) + sizeString(x.text) + pinned + color + sizeU64(x.edits)
  },
  put: (b, o, x) => {
    o = putString(b, putFixedData(b, o, x.id), x.text)
    b[o++] = x.pinned ? 1 : 0
    if (x.color === null) b[o++] = 0
    else {
      b[o++] = 1
      b[o++] = COLORS.indexOf(x.color)
    }
    return putU64(b, o, x.edits)
  },
})
