import { describe, expect, it } from "vitest"
import { parseSchema } from "../schema/parse-schema.ts"
import { emitFusedUpgrades } from "./fused-upgrade.ts"

// v1 → v2: Point gains a field (hand-written), Shape only refers to it (rebuilt), Event loses its
// Reset member (refused). v2 → v3: nothing changes.
const v1 = `type Point struct {
  x: u8
}

type Shape struct {
  name: str
  points: list<Point>
}

type Reset void

type Event union { Shape | Reset }
`
const v2 = `type Point struct {
  x: u8
  y: u8
}

type Shape struct {
  name: str
  points: list<Point>
}

type Event union { Shape }
`
const schemas = [
  parseSchema(v1, "v1.bare", 1).descriptor,
  parseSchema(v2, "v2.bare", 2).descriptor,
  parseSchema(v2, "v3.bare", 3).descriptor,
]

describe("fused upgrade chains", () => {
  const fusion = emitFusedUpgrades(schemas, [[], []])
  const call = fusion.call("Event", 1, "message")
  const code = fusion.lines.join("\n")

  it("builds the newest shape in one function per older version and type", () => {
    expect(call).toBe("fusedEventV1ToV3(message)")
    expect(code).toContain("function fusedEventV1ToV3(value: v1.Event): v3.Event {")
    expect(code).toContain(
      "return { name: value.name, points: mapList(value.points, fusedPointV1ToV3) }",
    )
  })

  it("calls the hand-written converter at the step where the type changed, with its context", () => {
    expect(code).toContain("return m1.upgrade.Point(value, UPGRADE_1_2)")
  })

  it("refuses a member the newer version lacks with the context of the step that drops it", () => {
    expect(code).toContain('return UPGRADE_1_2.unrepresentable({ type: "Event", member: "Reset" })')
  })

  it("writes nothing for a run of steps where nothing changed: the value passes as it is", () => {
    expect(fusion.call("Event", 2, "message")).toBe("message")
    expect(code).not.toContain("V2ToV3")
  })

  it("calls a converter a person chose to write instead of rebuilding the type", () => {
    const shapeOnly = emitFusedUpgrades(schemas.slice(0, 2), [["Shape"]])
    expect(shapeOnly.call("Event", 1, "message")).toBe("fusedEventV1ToV2(message)")
    expect(shapeOnly.lines.join("\n")).toContain("return m1.upgrade.Shape(value, UPGRADE_1_2)")
  })
})
