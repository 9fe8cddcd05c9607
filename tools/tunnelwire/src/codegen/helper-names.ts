import type { Type } from "@bare-ts/tools"

/**
 * Module-level helper functions for inline compound types (`optional<str>`, `list<KvKey>`, …):
 * one per distinct type and purpose, numbered in order of first use, shared by every field of
 * that type. Plain functions, not closures, so the engine inlines them like any other call.
 */
export class HelperNames {
  readonly emitted: string[][] = []
  private readonly names = new Map<string, string>()
  private readonly numbers = new Map<string, number>()

  nameFor(purpose: string, type: Type, emit: (name: string) => string[]): string {
    const shape = JSON.stringify(type, (key, value) => (key === "offset" ? undefined : value))
    const known = this.names.get(`${purpose} ${shape}`)
    if (known !== undefined) return known
    let number = this.numbers.get(shape)
    if (number === undefined) {
      number = this.numbers.size
      this.numbers.set(shape, number)
    }
    const name = `${purpose}${number}`
    this.names.set(`${purpose} ${shape}`, name)
    this.emitted.push(emit(name))
    return name
  }
}
