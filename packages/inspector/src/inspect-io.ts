/** What the inspector's commands need from the outside world; tests pass in-memory versions. */
export interface InspectIo {
  stdout(text: string): void
  stderr(text: string): void
  readFile(path: string): Promise<Uint8Array>
  readStdin(): Promise<Uint8Array>
}
