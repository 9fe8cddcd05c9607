import { PROJECT_OPTIONS, PROJECT_OPTIONS_HELP } from "../../project-options.ts"

export const BUMP_SUMMARY = "release the newest schema version and open the next one"

export const BUMP_HELP = `Usage: tunnelwire bump [--dry-run] [--format text|json] [--family <name>] [--config <file>]

Releases the newest schema version vN of a family and opens vN+1:
  - creates <schemas>/vN+1.bare as a copy of vN.bare;
  - pins vN's fingerprint in <schemas>/versions.json (vN is frozen from now on);
  - regenerates the family's out folder (the latest version becomes vN+1);
  - creates <converters>/vN-to-vN+1.ts for the hand-written converters;
  - if the family's package exports ./vN, exports ./vN+1 too and points ./latest at it;
  - if the family has a changesets folder, writes <changesets>/<family>-vN+1.md for its package.

Then edit vN+1.bare and run \`tunnelwire gen\`: it adds a placeholder for every converter the
change needs, which fails to compile until written.

Running bump again before vN+1 differs from vN does nothing: an unreleased copy identical to the
version before it is exactly what the last bump left.

A config with several families needs --family: bump works on one family at a time.

Options:
  --dry-run         print the plan; write nothing
  --format <name>   text (default) or json (the plan, and whether it was applied)
${PROJECT_OPTIONS_HELP}
  -h, --help        show this help

Exit codes: 0 bumped (or nothing to do), 1 usage error, 100 a released schema was modified.
`

export const BUMP_FORMATS = ["text", "json"] as const
export type BumpFormat = (typeof BUMP_FORMATS)[number]

export const BUMP_OPTIONS = {
  "dry-run": { type: "boolean", default: false },
  format: { type: "string", default: "text" },
  ...PROJECT_OPTIONS,
  help: { type: "boolean", short: "h", default: false },
} as const
