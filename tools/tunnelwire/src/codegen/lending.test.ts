import { describe, expect, it } from "vitest"
import { parseSchema } from "../schema/parse-schema.ts"
import { planLending } from "./lending.ts"
import { emitLentModule } from "./lent-module.ts"
import { emitMigrationModule } from "./migration-module.ts"
import { emitVersionedModule } from "./versioned-module.ts"

// v1 → v2: Frame gains a field (hand-written: it holds a Key). v2 → v3: the 16-byte Key becomes
// 4 bytes (hand-written), so does Tag, and Frame, Message and Batch only refer to Key (rebuilt).
const v1 = `type Key data[16]

type Frame struct {
  key: Key
}

type Message union { Frame }
`
const v2 = `type Key data[16]

type Tag data[16]

type Frame struct {
  key: Key
  size: u8
}

type Batch list<Frame>

type Message union { Frame | Batch }
`
const v3 = `type Key data[4]

type Tag data[4]

type Frame struct {
  key: Key
  size: u8
}

type Batch list<Frame>

type Message union { Frame | Batch }
`
const schemas = [
  parseSchema(v1, "v1.bare", 1).descriptor,
  parseSchema(v2, "v2.bare", 2).descriptor,
  parseSchema(v3, "v3.bare", 3).descriptor,
]
const declared = [{ step: 2, file: "v2-to-v3.ts", types: ["Key"] }]

describe("lending data to the upgrades that copy out of it", () => {
  const lending = planLending(schemas, declared)!

  it("lends from the declaring step down to the first hand-written converter holding the data", () => {
    expect(lending.versions).toEqual([2])
    expect([...lending.holders.get(2)!].sort()).toEqual(["Batch", "Frame", "Key", "Message"])
    // With nothing hand-written in between, an older version lends too.
    const sameFrames = [parseSchema(v2, "v1.bare", 1).descriptor, ...schemas.slice(1)]
    expect(planLending(sameFrames, declared)?.versions).toEqual([1, 2])
  })

  it("refuses data that is not fixed-size, or whose upgrade is not written by hand", () => {
    expect(() => planLending(schemas, [{ ...declared[0]!, types: ["Frame"] }])).toThrow(
      /v2-to-v3\.ts: upgradesCopyOutOf: Frame must be fixed-size data of v2 .* one of: Key, Tag/,
    )
    expect(() => planLending(schemas, [{ step: 1, file: "v1-to-v2.ts", types: ["Key"] }])).toThrow(
      /Key must be fixed-size data of v1 whose upgrade is written by hand/,
    )
  })

  it("reads lent data as views and everything else with the codec's readers", () => {
    const code = emitLentModule(v2, "v2.bare", lending.lent, lending.holders.get(2)!)
    expect(code).toContain("export type Key = ArrayBuffer | Uint8Array")
    expect(code).toContain("key: lendFixedData(bc, 16),")
    expect(code).toContain("size: readU8(bc),")
    expect(code).not.toContain("Tag")
    expect(code).toContain('return { tag: "Batch", val: readBatch(bc) }')
  })

  it("types the declaring step's upgrades to take the lent forms, and only there", () => {
    const step = emitMigrationModule(schemas[1]!, schemas[2]!, "./c.js", [], {
      lent: lending.lent,
      holders: lending.holders.get(2)!,
      candidates: lending.candidates,
    })
    expect(step).toContain("Key(value: lent.Key, ctx: MigrationContext, convert: UpgradeTable)")
    expect(step).toContain("Tag(value: older.Tag, ctx: MigrationContext, convert: UpgradeTable)")
    expect(step).toContain('export type CopyOutCandidate = "Key" | "Tag"')
    expect(step).toContain("Key(value: newer.Key, ctx: MigrationContext, convert: DowngradeTable)")
  })

  it("has the versioned decode read lending versions with the lent readers", () => {
    const code = emitVersionedModule(schemas, [], lending)
    expect(code).toContain('const message = decodeRoot(l2.readMessage, bytes, "Message", 2)')
    expect(code).toContain("return m2.upgrade.Message(v2.decodeMessage(bytes), UPGRADE_2_3)")
    expect(code).toContain("      return upgradeMessageFromV1(v1.decodeMessage(bytes))")
    expect(code).toContain("function fusedMessageV2ToV3(value: l2.Message): v3.Message {")
    // A chain that stops before the lending step reads with the codec alone.
    expect(emitVersionedModule(schemas.slice(0, 2), [], lending)).not.toContain("decodeRoot")
  })
})
