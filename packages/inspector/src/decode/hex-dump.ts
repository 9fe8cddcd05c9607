const ROW = 16

/**
 * A classic hex dump of the rows around `offset` (`context` rows either side), with a caret under
 * the byte at `offset`: `00000010  05 a0 a1 …  |....|`.
 */
export function hexDumpAround(bytes: Uint8Array, offset: number, context = 2): string {
  const markedRow = Math.floor(Math.min(offset, Math.max(bytes.length - 1, 0)) / ROW)
  const first = Math.max(0, markedRow - context)
  const last = Math.min(Math.ceil(bytes.length / ROW) - 1, markedRow + context)
  const lines: string[] = []
  for (let row = first; row <= last; row++) {
    const start = row * ROW
    const chunk = bytes.subarray(start, start + ROW)
    const hex = [...chunk].map((b) => b.toString(16).padStart(2, "0")).join(" ")
    const text = [...chunk]
      .map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "."))
      .join("")
    lines.push(`${start.toString(16).padStart(8, "0")}  ${hex.padEnd(ROW * 3 - 1)}  |${text}|`)
    if (row === markedRow) {
      const column = 10 + (offset - start) * 3
      lines.push(
        `${" ".repeat(column)}^^ byte ${offset}${offset >= bytes.length ? " (end of input)" : ""}`,
      )
    }
  }
  if (bytes.length === 0) lines.push("(empty input)")
  return lines.join("\n")
}
