/**
 * A flat copy of a string built by concatenation. V8 keeps such a string as a tree of its pieces
 * (a 32-digit hex id is about 0.3 KiB of them) until something flattens it; a key kept for a
 * socket's whole life is flattened once here instead. Only for Latin-1 text, such as hex ids.
 */
export function flatString(text: string): string {
  return Buffer.from(text, "latin1").toString("latin1")
}
