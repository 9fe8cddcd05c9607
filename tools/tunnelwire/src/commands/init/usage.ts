export const INIT_SUMMARY = "scaffold a protocol family: a v1 schema, its versions lock, the config"

export const INIT_HELP = `Usage: tunnelwire init <family> [--schemas <dir>] [--out <dir>] [--converters <dir>]
                       [--package <dir>] [--config <file>] [--format text|json]

Scaffolds the protocol family <family> (lower-case letters, digits and dashes) in this npm
project:
  - <schemas>/v1.bare, a starter schema to edit;
  - <schemas>/versions.json, the versions lock (nothing released yet);
  - the family's entry in tunnelwire.json, creating the file or adding to it.
Then prints the next steps. Refuses to overwrite: a family the config already names, or a
schema folder that already holds schemas, is an error.

The config goes in --config, or the nearest tunnelwire.json from here up, or else the nearest
directory with a package.json. Paths are relative to the config's directory.

Options:
  --schemas <dir>      the vN.bare schemas and versions.json (default: schemas/<family>)
  --out <dir>          where gen writes the generated code (default: src/<family>/gen)
  --converters <dir>   the hand-written converters vA-to-vB.ts (default: src/<family>/converters)
  --package <dir>      the package the code ships in, named by changesets (default: the
                       project's own package.json, when there is one)
  --config <file>      the config file to create or extend
  --format <name>      text (default) or json (the files written and the family's config)
  -h, --help           show this help

Exit codes: 0 done, 1 usage error or something already there.
`

export const INIT_FORMATS = ["text", "json"] as const
export type InitFormat = (typeof INIT_FORMATS)[number]

export const INIT_OPTIONS = {
  schemas: { type: "string" },
  out: { type: "string" },
  converters: { type: "string" },
  package: { type: "string" },
  config: { type: "string" },
  format: { type: "string", default: "text" },
  help: { type: "boolean", short: "h", default: false },
} as const
