// Version 1 of "notes", a tiny versioned BARE protocol written by hand in the shape `tunnelwire
// gen` emits, calling only the runtime's seam for generated code. It has nothing to do with the
// runner protocol, which is the point:
//
//   type NoteId data[4]
//   type Note struct { id: NoteId  text: str  pinned: bool }
//   type Deleted struct { id: NoteId }
//   type Event union { Note | Deleted }
import {
  type BytesLike,
  bare,
  decodeRoot,
  encodeRoot,
  fromJsonValue,
  invalid,
  type JsonValue,
  putFixedData,
  putString,
  readBool,
  readFixedData,
  readLengthPrefixedString,
  readU8,
  type SchemaDescriptor,
  type StringifyOptions,
  sizeFixedData,
  sizeString,
  stringifyValue,
  toJsonValue,
} from "../../src/codegen.js"

export const version = 1

export interface Note {
  readonly id: ArrayBuffer
  readonly text: string
  readonly pinned: boolean
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
    Note: {
      kind: "struct",
      fields: [
        { name: "id", type: { kind: "ref", name: "NoteId" } },
        { name: "text", type: { kind: "str" } },
        { name: "pinned", type: { kind: "bool" } },
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

function readNote(bc: bare.ByteCursor): Note {
  return { id: readFixedData(bc, 4), text: readLengthPrefixedString(bc), pinned: readBool(bc) }
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
  return (
    sizeFixedData(x.id, 4) +
    sizeString(x.text) +
    (x.pinned === true || x.pinned === false ? 1 : invalid())
  )
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
  return o
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

export function toJsonEvent(value: Event): JsonValue {
  return toJsonValue(schema, "Event", value)
}

export function fromJsonEvent(json: unknown): Event {
  return fromJsonValue(schema, "Event", json) as Event
}
