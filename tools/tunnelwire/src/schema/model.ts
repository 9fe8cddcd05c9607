// The generator emits schema descriptors that the protocol package's runtime walks; both sides
// share one definition of their shape. This is a type-only import: erased at run time, so the
// build still flows schemas → tools → protocol.
export type {
  EnumValueDescriptor,
  FieldDescriptor,
  PrimitiveKind,
  SchemaDescriptor,
  TypeDescriptor,
  UnionMemberDescriptor,
} from "../../../../packages/protocol/src/runtime/descriptor.ts"

/** Where a named type or one of its parts was declared, for messages that cite file:line:column. */
export interface SourcePosition {
  readonly file: string
  readonly line: number
  readonly column: number
}
