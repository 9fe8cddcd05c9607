/** A mistake in how a command was called: reported without a stack, exit code 1. */
export class UsageError extends Error {
  override name = "UsageError"
}
