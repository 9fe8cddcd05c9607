// RFC 4122 version-4 UUIDs in their text form (runner and actor ids), as Rivet's runner checks
// every id; the 16-byte form is checked by the protocol's `isRfc4122v4`.
const UUID_V4_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function isUuidV4Text(id: string): boolean {
  return UUID_V4_TEXT.test(id)
}
