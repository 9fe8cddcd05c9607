// The generator emits schema descriptors (`gen/vN/schema.ts`) that the protocol runtime walks.
// The tools are published on their own and cannot import the runtime's sources, so the shape is
// written out here; `test/descriptor-agreement.ts` fails the typecheck if the two ever differ.

export type PrimitiveKind =
  | "bool"
  | "u8"
  | "u16"
  | "u32"
  | "u64"
  | "uint"
  | "i8"
  | "i16"
  | "i32"
  | "i64"
  | "int"
  | "f32"
  | "f64"
  | "str"
  | "void"

export type TypeDescriptor =
  | { readonly kind: PrimitiveKind }
  | { readonly kind: "data"; readonly length?: number }
  | { readonly kind: "ref"; readonly name: string }
  | { readonly kind: "optional"; readonly of: TypeDescriptor }
  | { readonly kind: "list"; readonly of: TypeDescriptor; readonly length?: number }
  | { readonly kind: "map"; readonly key: TypeDescriptor; readonly value: TypeDescriptor }
  | { readonly kind: "struct"; readonly fields: readonly FieldDescriptor[] }
  | { readonly kind: "union"; readonly members: readonly UnionMemberDescriptor[] }
  | { readonly kind: "enum"; readonly values: readonly EnumValueDescriptor[] }

export interface FieldDescriptor {
  /** The TypeScript property name: the schema's field name in camelCase. */
  readonly name: string
  readonly type: TypeDescriptor
}

export interface UnionMemberDescriptor {
  /** The tag written on the wire. */
  readonly tag: number
  /** The `tag` property of the TypeScript value: the member's type name, or its number. */
  readonly name: string | number
  readonly type: TypeDescriptor
}

export interface EnumValueDescriptor {
  readonly name: string
  readonly value: number
}

export interface SchemaDescriptor {
  readonly version: number
  /** Types no other type refers to: the messages that travel on their own. */
  readonly roots: readonly string[]
  readonly types: Readonly<Record<string, TypeDescriptor>>
}

/** Where a named type or one of its parts was declared, for messages that cite file:line:column. */
export interface SourcePosition {
  readonly file: string
  readonly line: number
  readonly column: number
}
