import { type ParseArgsConfig, parseArgs } from "node:util"
import { UsageError } from "./usage-error.ts"

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>

/** The values and positionals of a command line, typed by the command's option specs. */
export type CommandArgs<O extends OptionSpecs> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>

/**
 * Node's `parseArgs`, with every mistake reported as a `UsageError` in the CLI's own words:
 * Node's messages explain its API ("To specify a positional argument starting with a '-'…"),
 * not the command. `positionals` is how many arguments the command takes besides options.
 */
export function parseCommandArgs<const O extends OptionSpecs>(
  argv: readonly string[],
  options: O,
  positionals = 0,
): CommandArgs<O> {
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  let positionalCount = 0
  for (const token of tokens) {
    if (token.kind === "positional") {
      positionalCount++
      if (positionalCount > positionals) {
        throw new UsageError(`unexpected argument "${token.value}"`)
      }
    }
    if (token.kind !== "option") continue
    const spec = options[token.name]
    if (spec === undefined) throw new UsageError(`unknown option ${token.rawName}`)
    if (spec.type === "string" && (token.value === undefined || isOption(token))) {
      throw new UsageError(`${token.rawName} needs a value`)
    }
    if (spec.type === "boolean" && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value`)
    }
  }
  return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true })
}

/** `--format --root x`: the value taken for --format is really the next option. */
function isOption(token: { readonly value?: string; readonly inlineValue?: boolean }): boolean {
  return token.inlineValue !== true && token.value?.startsWith("-") === true
}
