/** `decodeURIComponent`, or null for malformed input instead of a URIError. */
export function percentDecoded(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}
