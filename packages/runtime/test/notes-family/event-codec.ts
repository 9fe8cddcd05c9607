// What both versions of "notes" share: `Deleted` and the `Event` union around a version's own
// `Note`, and the typed functions a generated facade would offer for the root type `Event`.
import {
  type BytesLike,
  bare,
  decodeRoot,
  encodeRoot,
  fromJsonValue,
  invalid,
  type JsonValue,
  putFixedData,
  readFixedData,
  readU8,
  type SchemaDescriptor,
  type StringifyOptions,
  sizeFixedData,
  stringifyValue,
  toJsonValue,
} from "../../src/codegen.js"
import type { FieldDescriptor } from "../../src/index.js"

export interface Deleted {
  readonly id: ArrayBuffer
}
export type Event<Note> =
  | { readonly tag: "Note"; readonly val: Note }
  | { readonly tag: "Deleted"; readonly val: Deleted }

/** How one version reads, measures and writes its `Note`. */
export interface NoteCodec<Note> {
  read(bc: bare.ByteCursor): Note
  size(note: Note): number
  put(bytes: Uint8Array, offset: number, note: Note): number
}

export function eventFunctions<Note>(
  version: number,
  schema: SchemaDescriptor,
  note: NoteCodec<Note>,
) {
  function read(bc: bare.ByteCursor): Event<Note> {
    const offset = bc.offset
    const tag = readU8(bc)
    switch (tag) {
      case 0:
        return { tag: "Note", val: note.read(bc) }
      case 1:
        return { tag: "Deleted", val: { id: readFixedData(bc, 4) } }
      default:
        throw new bare.BareError(offset, "invalid tag")
    }
  }
  function size(x: Event<Note>): number {
    switch (x.tag) {
      case "Note":
        return 1 + note.size(x.val)
      case "Deleted":
        return 1 + sizeFixedData(x.val.id, 4)
      default:
        return invalid()
    }
  }
  function put(b: Uint8Array, o: number, x: Event<Note>): number {
    if (x.tag === "Note") {
      b[o++] = 0
      return note.put(b, o, x.val)
    }
    b[o++] = 1
    return putFixedData(b, o, x.val.id)
  }
  return {
    encodeEvent: (message: Event<Note>): Uint8Array =>
      encodeRoot(size, put, message, schema, "Event"),
    decodeEvent: (bytes: BytesLike): Event<Note> => decodeRoot(read, bytes, "Event", version),
    stringifyEvent: (value: Event<Note>, options?: StringifyOptions): string =>
      stringifyValue(schema, "Event", value, options),
    toJsonEvent: (value: Event<Note>): JsonValue => toJsonValue(schema, "Event", value),
    fromJsonEvent: (json: unknown): Event<Note> =>
      fromJsonValue(schema, "Event", json) as Event<Note>,
  }
}

/** The fields a `Note` has had since v1. */
export const V1_NOTE_FIELDS: readonly FieldDescriptor[] = [
  { name: "id", type: { kind: "ref", name: "NoteId" } },
  { name: "text", type: { kind: "str" } },
  { name: "pinned", type: { kind: "bool" } },
]

/** The descriptors of `NoteId`, `Deleted` and `Event`, the same in both versions. */
export const SHARED_TYPES: SchemaDescriptor["types"] = {
  NoteId: { kind: "data", length: 4 },
  Deleted: { kind: "struct", fields: [{ name: "id", type: { kind: "ref", name: "NoteId" } }] },
  Event: {
    kind: "union",
    members: [
      { tag: 0, name: "Note", type: { kind: "ref", name: "Note" } },
      { tag: 1, name: "Deleted", type: { kind: "ref", name: "Deleted" } },
    ],
  },
}
