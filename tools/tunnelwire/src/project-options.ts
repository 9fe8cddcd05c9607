// The options that say which project and which of its families a command works on, shared by
// every command that reads tunnelwire.json.

export const PROJECT_OPTIONS = {
  family: { type: "string" },
  config: { type: "string" },
  root: { type: "string" },
} as const

export const PROJECT_OPTIONS_HELP = `  --family <name>   the family to work on (default: every family tunnelwire.json names)
  --config <file>   the config file (default: the nearest tunnelwire.json, from here up)
  --root <dir>      the project root: the directory holding its tunnelwire.json`
