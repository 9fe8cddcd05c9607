// Not a test file: `npm run typecheck` compiles it, and it stops compiling when the descriptor
// shape the generator writes and the one the protocol runtime reads drift apart.
import type * as runtime from "../../../packages/protocol/src/runtime/descriptor.ts"
import type * as tools from "../src/schema/model.ts"

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

export const descriptorsAgree: [
  Same<tools.SchemaDescriptor, runtime.SchemaDescriptor>,
  Same<tools.TypeDescriptor, runtime.TypeDescriptor>,
  Same<tools.PrimitiveKind, runtime.PrimitiveKind>,
] = [true, true, true]
