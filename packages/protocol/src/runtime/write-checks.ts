import * as bare from "@bare-ts/lib"
import { EncodeError } from "./errors.js"
import { inBigintRange, inNumberRange } from "./integer-ranges.js"

// Called by generated writers instead of the bare-ts writers of the same name. bare-ts checks
// ranges only in development builds; in production it would wrap 70000 into a u16 or write a lone
// surrogate as bytes no decoder accepts. Here such values are an `EncodeError` naming the field.

function refuse(where: string, reason: string): never {
  throw new EncodeError({ type: where, reason })
}

export function checkedWriteU8(bc: bare.ByteCursor, value: number, where: string): void {
  if (!inNumberRange("u8", value)) refuse(where, `${String(value)} is not a u8`)
  bare.writeU8(bc, value)
}

export function checkedWriteU16(bc: bare.ByteCursor, value: number, where: string): void {
  if (!inNumberRange("u16", value)) refuse(where, `${String(value)} is not a u16`)
  bare.writeU16(bc, value)
}

export function checkedWriteU32(bc: bare.ByteCursor, value: number, where: string): void {
  if (!inNumberRange("u32", value)) refuse(where, `${String(value)} is not a u32`)
  bare.writeU32(bc, value)
}

export function checkedWriteU64(bc: bare.ByteCursor, value: bigint, where: string): void {
  if (!inBigintRange("u64", value)) {
    refuse(where, `${String(value)} is not a u64 bigint`)
  }
  bare.writeU64(bc, value)
}

export function checkedWriteI64(bc: bare.ByteCursor, value: bigint, where: string): void {
  if (
    typeof value !== "bigint" ||
    value < -0x8000_0000_0000_0000n ||
    value > 0x7fff_ffff_ffff_ffffn
  ) {
    refuse(where, `${String(value)} is not an i64 bigint`)
  }
  bare.writeI64(bc, value)
}

export function checkedWriteString(bc: bare.ByteCursor, value: string, where: string): void {
  if (typeof value !== "string") refuse(where, `expected a string, got ${typeof value}`)
  if (!value.isWellFormed())
    refuse(where, "the string has a lone surrogate, which UTF-8 cannot carry")
  bare.writeString(bc, value)
}
