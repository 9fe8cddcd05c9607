// A schema as data: every named type of one version of a BARE protocol, as `tunnelwire gen`
// emits it into `gen/vN/schema.ts`. The stringifier, the JSON mapping, the encode diagnosis and
// the CLI's compatibility checker walk it; the CLI builds descriptors with these very types.

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

/** A type descriptor that is not a reference to another. */
export type ResolvedType = Exclude<TypeDescriptor, { readonly kind: "ref" }>

/** Follows `ref`s until a type that is not a reference. */
export function resolveType(schema: SchemaDescriptor, type: TypeDescriptor): ResolvedType {
  let current = type
  while (current.kind === "ref") {
    const next = schema.types[current.name]
    if (next === undefined) throw new Error(`v${schema.version}: unknown type ${current.name}`)
    current = next
  }
  return current
}

/** The descriptor of a named type. */
export function namedType(schema: SchemaDescriptor, name: string): TypeDescriptor {
  const type = schema.types[name]
  if (type === undefined) throw new Error(`v${schema.version} has no type named ${name}`)
  return type
}
