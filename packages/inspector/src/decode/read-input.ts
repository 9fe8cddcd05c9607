export type InputEncoding = "hex" | "base64"

/** Bytes written as text: hex (spaces, colons and a `0x` prefix allowed) or standard base64. */
export function bytesFromText(text: string, encoding?: InputEncoding): Uint8Array {
  const trimmed = text.trim()
  const chosen = encoding ?? guessEncoding(trimmed)
  return chosen === "hex" ? fromHexText(trimmed) : fromBase64Text(trimmed)
}

/** Hex when the text is pairs of hex digits, else base64: what a text input is read as. */
export function guessEncoding(text: string): InputEncoding {
  return looksLikeHex(text.trim()) ? "hex" : "base64"
}

function looksLikeHex(text: string): boolean {
  const compact = text.replace(/^0x/i, "").replace(/[\s:]/g, "")
  return compact.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(compact)
}

function fromHexText(text: string): Uint8Array {
  const compact = text.replace(/^0x/i, "").replace(/[\s:]/g, "")
  if (compact.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(compact)) {
    throw new InputError("input is not hex: expected pairs of 0-9, a-f")
  }
  return Uint8Array.from(compact.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16))
}

function fromBase64Text(text: string): Uint8Array {
  const compact = text.replace(/\s/g, "")
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new InputError(
      "input is neither hex nor base64: give hex (04 01 00…), base64 (BAEA…), --file <path> or standard input",
    )
  }
  return new Uint8Array(Buffer.from(compact, "base64"))
}

/** Input that is not bytes in any form the inspector reads. */
export class InputError extends Error {
  override name = "InputError"
}
