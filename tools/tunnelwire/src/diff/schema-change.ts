import type { SourcePosition } from "../schema/model.ts"
import type { TaggedItem, TagShift } from "./tagged-diff.ts"
import type { TypeRelation } from "./type-relation.ts"

/** Whether a tagged change is about a union's members or an enum's values. */
export type TaggedContainer = "union" | "enum"

/**
 * One change between two schemas, where a reader finds it: in the newer file, or in the older
 * one for what is gone. Only direct changes: a type that merely refers to a changed type is not
 * itself changed.
 */
export type SchemaChange = { readonly at: SourcePosition } & (
  | { readonly kind: "type-added"; readonly type: string; readonly shape: string }
  | { readonly kind: "type-removed"; readonly type: string; readonly shape: string }
  | { readonly kind: "type-renamed"; readonly from: string; readonly to: string }
  | { readonly kind: "root-added"; readonly type: string; readonly why: string }
  | { readonly kind: "root-removed"; readonly type: string; readonly why: string }
  | ({ readonly kind: "field-added" } & FieldPlacement)
  | ({ readonly kind: "field-removed" } & FieldPlacement)
  | {
      readonly kind: "field-renamed"
      readonly type: string
      readonly from: string
      readonly to: string
      readonly index: number
    }
  | {
      readonly kind: "fields-reordered"
      readonly type: string
      readonly before: readonly string[]
      readonly after: readonly string[]
    }
  | {
      readonly kind: "retyped"
      /** `Type` or `Type.field`. */
      readonly subject: string
      readonly field: boolean
      readonly relation: Exclude<TypeRelation, "same">
      readonly before: string
      readonly after: string
    }
  | ({ readonly kind: "tagged-added" } & TaggedPlacement)
  | ({ readonly kind: "tagged-removed" } & TaggedPlacement)
  | {
      readonly kind: "tagged-renamed"
      readonly container: TaggedContainer
      readonly type: string
      readonly from: string
      readonly to: string
      readonly tag: number
    }
  | {
      readonly kind: "tags-shifted"
      readonly container: TaggedContainer
      readonly type: string
      readonly shifts: readonly TagShift[]
      readonly inserted: readonly TaggedItem[]
      readonly dropped: readonly TaggedItem[]
    }
)

interface FieldPlacement {
  readonly type: string
  readonly field: string
  readonly fieldType: string
  readonly index: number
  readonly count: number
}

interface TaggedPlacement {
  readonly container: TaggedContainer
  readonly type: string
  readonly item: string
  readonly tag: number
  /** An added item whose tag belonged to an item that is gone. */
  readonly reuses?: string
}
