import { PROJECT_OPTIONS, PROJECT_OPTIONS_HELP } from "../../project-options.ts"

export const GEN_SUMMARY = "generate typed codecs from the vN.bare schemas, and scaffold converters"

export const GEN_HELP = `Usage: tunnelwire gen [--check] [--format text|json] [--family <name>] [--config <file>]

For each family tunnelwire.json names (or the one --family picks), generates into its out
folder: vN/ (codec, schema descriptor, typed facade) for every vN.bare in its schemas folder,
migrations/ between adjacent versions, versioned.ts and versions.ts. Writes only files whose
content changed.

Then, for every type whose shape changed between two adjacent versions, makes sure the
family's hand-written converters, <converters>/vA-to-vB.ts, have an upgrade and a downgrade: a
missing one is added as a placeholder that fails to compile until someone writes it, with a
comment saying what it must fill in or drop. Converters already there are never touched.

Options:
  --check           write nothing; exit 100 if any generated file is out of date
  --format <name>   text (default) or json (what was written, removed and scaffolded; with
                    several families, {"families": [...], "upToDate"})
${PROJECT_OPTIONS_HELP}
  -h, --help        show this help

Exit codes: 0 done, 1 usage error or a schema that does not compile, 100 out of date (--check).
`

export const GEN_FORMATS = ["text", "json"] as const
export type GenFormat = (typeof GEN_FORMATS)[number]

export const GEN_OPTIONS = {
  check: { type: "boolean", default: false },
  format: { type: "string", default: "text" },
  ...PROJECT_OPTIONS,
  help: { type: "boolean", short: "h", default: false },
} as const
