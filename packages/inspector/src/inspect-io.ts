/** What the inspector's commands need from the outside world; tests pass in-memory versions. */
export interface InspectIo {
  stdout(text: string): void
  stderr(text: string): void
  readFile(path: string): Promise<Uint8Array>
  readStdin(): Promise<Uint8Array>
  /** Aborts on Ctrl-C: the long-running commands (tail, ui) stop cleanly when it does. */
  readonly interrupt?: AbortSignal
  /** Whether standard output wants colors (a terminal, and NO_COLOR unset). Default: no colors. */
  readonly color?: boolean
}
