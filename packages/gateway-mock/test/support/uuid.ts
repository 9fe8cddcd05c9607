// RFC 4122 version-4 UUIDs, as Rivet's runner checks every id: 16 bytes, version nibble 4,
// variant bits 10.
const UUID_V4_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function isUuidV4Bytes(id: ArrayBuffer): boolean {
  const bytes = new Uint8Array(id)
  return bytes.length === 16 && bytes[6]! >> 4 === 4 && bytes[8]! >> 6 === 0b10
}

export function isUuidV4Text(id: string): boolean {
  return UUID_V4_TEXT.test(id)
}
