// Version 1 of "notes", a tiny versioned BARE protocol written by hand in the shape `tunnelwire
// gen` emits, calling only the runtime's seam for generated code. It has nothing to do with the
// runner protocol, which is the point:
//
//   type NoteId data[4]
//   type Note struct { id: NoteId  text: str  pinned: bool }
//   type Deleted struct { id: NoteId }
//   type Event union { Note | Deleted }
import {
  type bare,
  invalid,
  putFixedData,
  putString,
  readBool,
  readFixedData,
  readLengthPrefixedString,
  type SchemaDescriptor,
  sizeFixedData,
  sizeString,
} from "../../src/codegen.js"
import {
  type Event as EventOf,
  eventFunctions,
  SHARED_TYPES,
  V1_NOTE_FIELDS,
} from "./event-codec.js"

export const version = 1

export interface Note {
  readonly id: ArrayBuffer
  readonly text: string
  readonly pinned: boolean
}
export type Event = EventOf<Note>

export const schema: SchemaDescriptor = {
  version,
  roots: ["Event"],
  types: {
    Note: { kind: "struct", fields: V1_NOTE_FIELDS },
    ...SHARED_TYPES,
  },
}

export const { encodeEvent, decodeEvent, stringifyEvent, toJsonEvent, fromJsonEvent } =
  eventFunctions<Note>(version, schema, {
    read: (bc: bare.ByteCursor) => ({
      id: readFixedData(bc, 4),
      text: readLengthPrefixedString(bc),
      pinned: readBool(bc),
    }),
    size: (x) =>
      sizeFixedData(x.id, 4) +
      sizeString(x.text) +
      (x.pinned === true || x.pinned === false ? 1 : invalid()),
    put: (b, o, x) => {
      o = putString(b, putFixedData(b, o, x.id), x.text)
      b[o++] = x.pinned ? 1 : 0
      return o
    },
  })
