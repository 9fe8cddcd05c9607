/** A plain-text table: first column left-aligned, the others right-aligned, for numbers. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join("  ")
      .trimEnd()
  const rule = widths.map((width) => "-".repeat(width)).join("  ")
  return [line(header), rule, ...rows.map(line)].join("\n")
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US")
}

export function formatRatio(value: number): string {
  return `${value.toFixed(2)}x`
}

export function formatBandwidth(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e9).toFixed(2)} GB/s`
}
