import { PROJECT_OPTIONS, PROJECT_OPTIONS_HELP } from "../../project-options.ts"

export const CHECK_SUMMARY =
  "report what changed between versions, and fail when a release or converter breaks"

export const CHECK_HELP = `Usage: tunnelwire check [--against <git-ref>] [--format text|json|github] [--family <name>] [--config <file>]
       tunnelwire check <old.bare> <new.bare> [--format text|json|github]
       tunnelwire check --list-rules [--format text|json]

Checks the schemas of each family tunnelwire.json names (or the one --family picks) and reports what it finds as rules (the rule table is in
tools/tunnelwire/README.md), each with a severity for an old reader of new bytes and for a
new reader of old bytes (BREAKING, DANGEROUS or SAFE) and the file:line:column it is about:
  - what changed between each pair of adjacent versions, and the converters that bridge them;
  - that every version released in the family's versions.json keeps its pinned fingerprint,
    and that its golden vectors (<goldenVectors>/vN/*.bin, for a family that has them) still
    decode and re-encode to the same bytes with the current generated code;
  - that every type whose shape changed has a written upgrade and downgrade;
  - with --against, what changed in each schema since that commit, and, for a family with a
    changesets folder, that a schema change comes with a changeset for the family's package.

Given two files, compares them as two copies of one version, as two peers that both claim it:
any change that is not SAFE both ways fails.

Options:
  --against <ref>   also compare with the schemas, lock and changesets of a git commit
  --format <name>   text (default; colored on a terminal unless NO_COLOR is set), json, github
                    (json with several families: {"ok", "exitCode", "families": [...]})
${PROJECT_OPTIONS_HELP}
  --list-rules      print every rule with its severities and purpose: a Markdown table, or
                    with --format json an array of rules
  -h, --help        show this help

Exit codes: 0 nothing fails, 1 usage error, 100 something breaks.
`

export const FORMATS = ["text", "json", "github"] as const
export type Format = (typeof FORMATS)[number]

export const CHECK_OPTIONS = {
  against: { type: "string" },
  format: { type: "string", default: "text" },
  "list-rules": { type: "boolean", default: false },
  ...PROJECT_OPTIONS,
  help: { type: "boolean", short: "h", default: false },
} as const
