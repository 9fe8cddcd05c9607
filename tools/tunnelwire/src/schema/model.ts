// The descriptor a schema version is turned into, and that generated `schema.ts` files hold:
// the runtime's own types, so the generator and the code it writes agree by construction.
export type {
  EnumValueDescriptor,
  FieldDescriptor,
  PrimitiveKind,
  SchemaDescriptor,
  TypeDescriptor,
  UnionMemberDescriptor,
} from "@tunnelwire/runtime"

/** Where a named type or one of its parts was declared, for messages that cite file:line:column. */
export interface SourcePosition {
  readonly file: string
  readonly line: number
  readonly column: number
}
