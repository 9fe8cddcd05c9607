/**
 * A socket's request headers, kept for as long as the socket lives (a reopen after a hibernation
 * sends them again), packed into one string: a `Map` of a dozen entries costs its hash table and
 * two strings per header, about 0.6 KiB per socket. The separator can be in neither a header name
 * (a token) nor a value (HTTP parsers refuse CR, LF and NUL there).
 */
const SEPARATOR = "\n"

export function packHeaders(headers: ReadonlyMap<string, string>): string {
  const parts: string[] = []
  for (const [name, value] of headers) parts.push(name, value)
  return parts.join(SEPARATOR)
}

export function unpackHeaders(packed: string): Map<string, string> {
  const headers = new Map<string, string>()
  if (packed === "") return headers
  const parts = packed.split(SEPARATOR)
  for (let i = 0; i + 1 < parts.length; i += 2) headers.set(parts[i]!, parts[i + 1]!)
  return headers
}
