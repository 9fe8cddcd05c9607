import { toHex } from "@tunnelwire/runtime"

/**
 * A plain form of a protocol value for `toStrictEqual`: an `ArrayBuffer` becomes its hex and a
 * `Map` the list of its entries in order, so two values compare equal exactly when they hold
 * the same bytes, the same entries in the same order, and the same bigints and numbers
 * (`-0` and `0` stay apart).
 */
export function comparable(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return { ArrayBuffer: toHex(new Uint8Array(value)) }
  if (value instanceof Map) {
    return { Map: [...value].map(([key, entry]) => [comparable(key), comparable(entry)]) }
  }
  if (Array.isArray(value)) return value.map(comparable)
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, comparable(entry)]))
  }
  return value
}
