/**
 * The one module generated code imports the runtime from: `@tunnelwire/runtime`'s seam for
 * generated code (packages/runtime/src/codegen.ts), so a family's package needs no other.
 */
export const RUNTIME_MODULE = "@tunnelwire/runtime/codegen"

/**
 * `import { … } from "@tunnelwire/runtime/codegen"`, names in order (`type X` sorts as `X`);
 * `import type` when every name is a type.
 */
export function runtimeImport(names: readonly string[]): string {
  const bare = (name: string) => name.replace(/^type /, "")
  const sorted = [...names].sort((a, b) => (bare(a) < bare(b) ? -1 : bare(a) > bare(b) ? 1 : 0))
  if (sorted.every((name) => name.startsWith("type "))) {
    return `import type { ${sorted.map(bare).join(", ")} } from "${RUNTIME_MODULE}"`
  }
  return `import { ${sorted.join(", ")} } from "${RUNTIME_MODULE}"`
}
