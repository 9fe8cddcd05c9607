export const BUMP_SUMMARY = "release the newest schema version and open the next one"

export const BUMP_HELP = `Usage: tunnelwire bump [--dry-run] [--format text|json] [--root <dir>]

Releases the newest schema version vN and opens vN+1:
  - creates schemas/runner-protocol/vN+1.bare as a copy of vN.bare;
  - pins vN's fingerprint in schemas/runner-protocol/versions.json (vN is frozen from now on);
  - regenerates packages/protocol/src/gen/ (the latest version becomes vN+1);
  - creates packages/protocol/src/migrations/vN-to-vN+1.ts for the hand-written converters;
  - exports ./vN+1 from @tunnelwire/protocol and points ./latest at it;
  - writes .changeset/protocol-vN+1.md for @tunnelwire/protocol.

Then edit vN+1.bare and run \`tunnelwire gen\`: it adds a placeholder for every converter the
change needs, which fails to compile until written.

Running bump again before vN+1 differs from vN does nothing: an unreleased copy identical to the
version before it is exactly what the last bump left.

Options:
  --dry-run         print the plan; write nothing
  --format <name>   text (default) or json (the plan, and whether it was applied)
  --root <dir>      the project root (default: nearest parent with schemas/runner-protocol)
  -h, --help        show this help

Exit codes: 0 bumped (or nothing to do), 1 usage error, 100 a released schema was modified.
`

export const BUMP_FORMATS = ["text", "json"] as const
export type BumpFormat = (typeof BUMP_FORMATS)[number]

export const BUMP_OPTIONS = {
  "dry-run": { type: "boolean", default: false },
  format: { type: "string", default: "text" },
  root: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const
