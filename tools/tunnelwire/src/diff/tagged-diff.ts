/** A union member or an enum value: what the TypeScript code calls it, and the number on the wire. */
export interface TaggedItem {
  readonly name: string
  readonly tag: number
}

export interface TagShift {
  readonly name: string
  readonly from: number
  readonly to: number
}

/**
 * What happened to the items of one union or enum. On the wire only tags count, so an item is
 * matched by name and then its tag compared. An item that appears at, or leaves, a tag another
 * item still holds is part of a shift (`inserted`, `dropped`) rather than added or removed.
 */
export interface TaggedDiff {
  /** New items at tags no older item had, or had only as an item that is gone (`reuses`). */
  readonly added: readonly (TaggedItem & { readonly reuses?: string })[]
  /** Older items gone, whose tag no remaining item moved to. */
  readonly removed: readonly TaggedItem[]
  /** The same tag under a new name, with the same payload. */
  readonly renamed: readonly { readonly from: string; readonly to: string; readonly tag: number }[]
  /** Items both versions have, under another tag. */
  readonly shifted: readonly TagShift[]
  /** New items at a tag an item that both versions have used to hold. */
  readonly inserted: readonly TaggedItem[]
  /** Older items gone from a tag an item that both versions have now holds. */
  readonly dropped: readonly TaggedItem[]
}

/**
 * Compares the items of an older and a newer union or enum. `older` names must already be
 * the newer names of renamed types; `canRename` says whether two items at one tag carry the
 * same payload, so that only their name changed.
 */
export function diffTagged(
  older: readonly TaggedItem[],
  newer: readonly TaggedItem[],
  canRename: (older: TaggedItem, newer: TaggedItem) => boolean,
): TaggedDiff {
  const newerByName = new Map(newer.map((item) => [item.name, item]))
  const olderNames = new Set(older.map((item) => item.name))
  const shifted: TagShift[] = []
  for (const item of older) {
    const counterpart = newerByName.get(item.name)
    if (counterpart !== undefined && counterpart.tag !== item.tag) {
      shifted.push({ name: item.name, from: item.tag, to: counterpart.tag })
    }
  }
  let olderOnly = older.filter((item) => !newerByName.has(item.name))
  let newerOnly = newer.filter((item) => !olderNames.has(item.name))

  const renamed: { from: string; to: string; tag: number }[] = []
  for (const item of olderOnly) {
    const counterpart = newerOnly.find((other) => other.tag === item.tag)
    if (counterpart !== undefined && canRename(item, counterpart)) {
      renamed.push({ from: item.name, to: counterpart.name, tag: item.tag })
    }
  }
  olderOnly = olderOnly.filter((item) => !renamed.some((r) => r.from === item.name))
  newerOnly = newerOnly.filter((item) => !renamed.some((r) => r.to === item.name))

  const keptOlderTags = new Set(
    older.filter((item) => newerByName.has(item.name)).map((item) => item.tag),
  )
  const keptNewerTags = new Set(
    newer.filter((item) => olderNames.has(item.name)).map((item) => item.tag),
  )
  return {
    added: newerOnly
      .filter((item) => !keptOlderTags.has(item.tag))
      .map((item) => {
        const reuses = olderOnly.find((other) => other.tag === item.tag)?.name
        return reuses === undefined ? item : { ...item, reuses }
      }),
    removed: olderOnly.filter((item) => !keptNewerTags.has(item.tag)),
    renamed,
    shifted,
    inserted: newerOnly.filter((item) => keptOlderTags.has(item.tag)),
    dropped: olderOnly.filter((item) => keptNewerTags.has(item.tag)),
  }
}
