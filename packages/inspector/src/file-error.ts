/** Why a file could not be read, in a few words (`no such file`) rather than a stack trace. */
export function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case "ENOENT":
      return "no such file"
    case "EACCES":
      return "permission denied"
    case "EISDIR":
      return "it is a directory"
    default:
      return code ?? String(error)
  }
}
