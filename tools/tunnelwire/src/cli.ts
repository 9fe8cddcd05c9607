import { readFileSync } from "node:fs"
import { parseCommandArgs } from "./command-args.ts"
import { BUMP_FORMATS, BUMP_HELP, BUMP_OPTIONS, BUMP_SUMMARY } from "./commands/bump/usage.ts"
import { CHECK_HELP, CHECK_OPTIONS, CHECK_SUMMARY, FORMATS } from "./commands/check/usage.ts"
import { GEN_FORMATS, GEN_HELP, GEN_OPTIONS, GEN_SUMMARY } from "./commands/gen/usage.ts"
import { INIT_FORMATS, INIT_HELP, INIT_OPTIONS, INIT_SUMMARY } from "./commands/init/usage.ts"
import { ConfigError } from "./config/config-file.ts"
import type { ProjectSelection } from "./config/find-config.ts"
import { SchemaSyntaxError } from "./schema/schema-error.ts"
import { ProjectError, UsageError } from "./usage-error.ts"

// Only the usage texts are imported up front; a command's code (the TypeScript compiler API,
// bare-ts) loads when it runs, so `tunnelwire --help` and `--version` answer at once.

interface Command {
  readonly summary: string
  readonly help: string
  run(argv: readonly string[]): Promise<number>
}

const COMMANDS: Readonly<Record<string, Command>> = {
  init: {
    summary: INIT_SUMMARY,
    help: INIT_HELP,
    async run(argv) {
      const { values, positionals } = parseCommandArgs(argv, INIT_OPTIONS, 1)
      if (values.help) return print(INIT_HELP)
      const format = oneOf("--format", values.format, INIT_FORMATS)
      const family = positionals[0]
      if (family === undefined) throw new UsageError("name the family to scaffold")
      const { runInit } = await import("./commands/init/command.ts")
      return runInit({ ...values, family, format })
    },
  },
  gen: {
    summary: GEN_SUMMARY,
    help: GEN_HELP,
    async run(argv) {
      const { values } = parseCommandArgs(argv, GEN_OPTIONS)
      if (values.help) return print(GEN_HELP)
      const format = oneOf("--format", values.format, GEN_FORMATS)
      const { runGen } = await import("./commands/gen/command.ts")
      return runGen({ ...projectSelection(values), check: values.check, format })
    },
  },
  check: {
    summary: CHECK_SUMMARY,
    help: CHECK_HELP,
    async run(argv) {
      const { values, positionals } = parseCommandArgs(argv, CHECK_OPTIONS, 2)
      if (values.help) return print(CHECK_HELP)
      const format = oneOf("--format", values.format, FORMATS)
      if (values["list-rules"]) {
        const { ruleListJson, ruleListMarkdown } = await import("./rules/rule-list.ts")
        if (format === "github") throw new UsageError("--list-rules prints text or json")
        return print(format === "json" ? ruleListJson() : `${ruleListMarkdown()}\n`)
      }
      const { runCheck } = await import("./commands/check/command.ts")
      return runCheck(
        { ...projectSelection(values), against: values.against, format, files: positionals },
        { stdout: process.stdout, stderr: process.stderr, env: process.env },
      )
    },
  },
  bump: {
    summary: BUMP_SUMMARY,
    help: BUMP_HELP,
    async run(argv) {
      const { values } = parseCommandArgs(argv, BUMP_OPTIONS)
      if (values.help) return print(BUMP_HELP)
      const format = oneOf("--format", values.format, BUMP_FORMATS)
      const { runBump } = await import("./commands/bump/command.ts")
      return runBump({ ...projectSelection(values), dryRun: values["dry-run"], format })
    },
  },
  inspect: {
    summary: "decode frames, tail a gateway's tap, serve its timeline page (@tunnelwire/inspector)",
    help: "Usage: tunnelwire inspect <decode|tail|ui> [options]\n",
    run: runInspector,
  },
}

const USAGE = `Usage: tunnelwire <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(8)}${command.summary}`)
  .join("\n")}

Options:
  -h, --help      show this help; \`tunnelwire <command> --help\` shows a command's options
  -v, --version   print the version of tunnelwire

Exit codes: 0 done, 1 usage error (or input that cannot be processed), 100 a check found
something out of date or broken.
`

/**
 * Runs one command line and returns the exit code: 0 success, 1 usage error, 100 a check found
 * something out of date or broken. Mistakes in the call, in a schema or in the project are one
 * message on stderr, never a stack trace; only a bug in tunnelwire itself shows one.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined) return usageError("no command given", USAGE)
  if (name === "-h" || name === "--help") return print(USAGE)
  if (name === "help") return print(commandNamed(rest[0])?.help ?? USAGE)
  if (name === "-v" || name === "--version") return print(`${version()}\n`)
  const command = commandNamed(name)
  if (command === undefined) {
    const what = name.startsWith("-") ? "unknown option" : "unknown command"
    return usageError(`${what} "${name}"`, USAGE)
  }
  try {
    return await command.run(rest)
  } catch (error) {
    if (error instanceof UsageError) {
      return usageError(`${name}: ${error.message}`, synopsis(command.help, name))
    }
    if (error instanceof SchemaSyntaxError || error instanceof ConfigError) {
      return fail(error.message)
    }
    if (error instanceof ProjectError || isSystemError(error)) {
      return fail(`tunnelwire ${name}: ${error.message}`)
    }
    throw error
  }
}

/** The version of this package, from its manifest (one directory above `src/` and `dist/`). */
function version(): string {
  const manifest = readFileSync(new URL("../package.json", import.meta.url), "utf8")
  return (JSON.parse(manifest) as { version: string }).version
}

function print(text: string): number {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`)
  return 0
}

function commandNamed(name: string | undefined): Command | undefined {
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`)
  return 1
}

/** The one style of every usage error: what was wrong, then how the command is called. */
function usageError(message: string, usage: string): number {
  process.stderr.write(`tunnelwire: ${message}\n\n${usage}`)
  return 1
}

/** A command's `Usage:` lines, and where its full help is. */
function synopsis(help: string, name: string): string {
  const usageLines = help.slice(0, help.indexOf("\n\n") + 1 || undefined)
  return `${usageLines}Run \`tunnelwire ${name} --help\` for its options.\n`
}

function projectSelection(values: {
  readonly family?: string | undefined
  readonly config?: string | undefined
  readonly root?: string | undefined
}): ProjectSelection {
  return { family: values.family, config: values.config, root: values.root }
}

function oneOf<const T extends string>(option: string, value: string, choices: readonly T[]): T {
  const choice = choices.find((c) => c === value)
  if (choice === undefined) {
    throw new UsageError(`${option} must be one of ${choices.join(", ")}, not "${value}"`)
  }
  return choice
}

/** A file-system or process error (ENOENT, EACCES, …): the message already says what and where. */
function isSystemError(error: unknown): error is Error {
  return error instanceof Error && "syscall" in error && typeof error.syscall === "string"
}

/** What `tunnelwire inspect` uses of `@tunnelwire/inspector/cli`. */
interface InspectorCli {
  runInspect(argv: readonly string[], io: unknown): Promise<number>
  nodeInspectIo(): unknown
}

/**
 * Forwards to the inspector's own CLI. It is loaded by a specifier held in a variable so that the
 * tools, which build before every package, never depend on the inspector's build to typecheck.
 */
async function runInspector(argv: readonly string[]): Promise<number> {
  const specifier = "@tunnelwire/inspector/cli"
  let inspector: InspectorCli
  try {
    inspector = (await import(specifier)) as InspectorCli
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ERR_MODULE_NOT_FOUND")) {
      throw error
    }
    return fail(
      "tunnelwire inspect: the inspector is not installed or not built: `npm install @tunnelwire/inspector`, or in this repository `npm run build`",
    )
  }
  return inspector.runInspect(argv, inspector.nodeInspectIo())
}
