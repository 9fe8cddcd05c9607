/** A mistake in how a command was called: its message and the usage go to stderr, exit code 1. */
export class UsageError extends Error {
  override name = "UsageError"
}

/**
 * The project is not in a state the command can work with (no schemas, a gap between versions):
 * one line on stderr, exit code 1.
 */
export class ProjectError extends Error {
  override name = "ProjectError"
}
