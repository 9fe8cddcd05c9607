/** The inclusive range of each BARE integer type held in a JS `number`. */
export const NUMBER_RANGES = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffff_ffff],
  i8: [-0x80, 0x7f],
  i16: [-0x8000, 0x7fff],
  i32: [-0x8000_0000, 0x7fff_ffff],
} as const

/** The inclusive range of each BARE integer type held in a `bigint`. */
export const BIGINT_RANGES = {
  u64: [0n, 0xffff_ffff_ffff_ffffn],
  uint: [0n, 0xffff_ffff_ffff_ffffn],
  i64: [-0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn],
  int: [-0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn],
} as const

export function inNumberRange(kind: keyof typeof NUMBER_RANGES, value: unknown): value is number {
  const [min, max] = NUMBER_RANGES[kind]
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
}

export function inBigintRange(kind: keyof typeof BIGINT_RANGES, value: unknown): value is bigint {
  const [min, max] = BIGINT_RANGES[kind]
  return typeof value === "bigint" && value >= min && value <= max
}
