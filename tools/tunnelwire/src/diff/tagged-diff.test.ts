// What happens to the items of a union or an enum between two versions, told apart by tag.
// Compared strictly: an added item carries `reuses` only when it takes a gone item's tag.
import { describe, expect, it } from "vitest"
import { diffTagged, type TaggedItem } from "./tagged-diff.ts"

/** Items named by letters, tagged by position unless given as `name=tag`. */
const items = (...specs: string[]): TaggedItem[] =>
  specs.map((spec, i) => {
    const [name, tag] = spec.split("=")
    return { name: name!, tag: tag === undefined ? i : Number(tag) }
  })

const always = () => true
const never = () => false

const nothing = { added: [], removed: [], renamed: [], shifted: [], inserted: [], dropped: [] }

describe("diffing the items of a union or enum", () => {
  it("finds nothing between equal item lists", () => {
    expect(diffTagged(items("A", "B"), items("A", "B"), always)).toStrictEqual(nothing)
  })

  it("an item at a new tag is added; one whose tag nobody holds any more is removed", () => {
    expect(diffTagged(items("A", "B"), items("A", "B", "C"), never)).toStrictEqual({
      ...nothing,
      added: [{ name: "C", tag: 2 }],
    })
    expect(diffTagged(items("A", "B", "C"), items("A", "B"), never)).toStrictEqual({
      ...nothing,
      removed: [{ name: "C", tag: 2 }],
    })
  })

  it("an item at the tag of an item that is gone reuses it, unless only its name changed", () => {
    expect(diffTagged(items("A", "B"), items("A", "C"), never)).toStrictEqual({
      ...nothing,
      added: [{ name: "C", tag: 1, reuses: "B" }],
      removed: [{ name: "B", tag: 1 }],
    })
    expect(diffTagged(items("A", "B"), items("A", "C"), always)).toStrictEqual({
      ...nothing,
      renamed: [{ from: "B", to: "C", tag: 1 }],
    })
  })

  it("asks whether a rename keeps the payload with the older and the newer item", () => {
    const asked: [TaggedItem, TaggedItem][] = []
    diffTagged(items("A", "B"), items("A", "C"), (older, newer) => {
      asked.push([older, newer])
      return true
    })
    expect(asked).toStrictEqual([
      [
        { name: "B", tag: 1 },
        { name: "C", tag: 1 },
      ],
    ])
  })

  it("an item both versions have, under another tag, is shifted", () => {
    expect(diffTagged(items("A", "B"), items("B", "A"), always)).toStrictEqual({
      ...nothing,
      shifted: [
        { name: "A", from: 0, to: 1 },
        { name: "B", from: 1, to: 0 },
      ],
    })
  })

  it("a new item at a tag a kept item held is inserted; an old one at a tag a kept item took is dropped", () => {
    expect(diffTagged(items("A", "B"), items("X", "A", "B"), never)).toStrictEqual({
      ...nothing,
      shifted: [
        { name: "A", from: 0, to: 1 },
        { name: "B", from: 1, to: 2 },
      ],
      inserted: [{ name: "X", tag: 0 }],
      added: [],
    })
    expect(diffTagged(items("X", "A", "B"), items("A", "B"), never)).toStrictEqual({
      ...nothing,
      shifted: [
        { name: "A", from: 1, to: 0 },
        { name: "B", from: 2, to: 1 },
      ],
      dropped: [{ name: "X", tag: 0 }],
    })
  })

  it("keeps added and inserted apart, and removed and dropped apart, in one diff", () => {
    const diff = diffTagged(items("X", "A", "Y=5"), items("A", "Z=7", "W=1"), never)
    expect(diff.shifted).toStrictEqual([{ name: "A", from: 1, to: 0 }])
    expect(diff.dropped).toStrictEqual([{ name: "X", tag: 0 }])
    expect(diff.removed).toStrictEqual([{ name: "Y", tag: 5 }])
    expect(diff.inserted).toStrictEqual([{ name: "W", tag: 1 }])
    expect(diff.added).toStrictEqual([{ name: "Z", tag: 7 }])
  })
})
