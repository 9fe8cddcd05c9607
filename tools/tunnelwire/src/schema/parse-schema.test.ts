import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { readSchemaFiles } from "../config/family-layout.ts"
import { selectFamilies } from "../config/find-config.ts"
import { fingerprint } from "./fingerprint.ts"
import { parseSchema } from "./parse-schema.ts"
import { readVersionsLock } from "./versions-lock.ts"

const root = fileURLToPath(new URL("../../../../", import.meta.url))
const layout = selectFamilies({ root, family: "runner-protocol" })[0]!
const referenceDir = new URL("../../test/fixtures/rivet-reference/", import.meta.url)

for (const file of readSchemaFiles(layout)) {
  describe(`schemas/runner-protocol/v${file.version}.bare`, () => {
    const ours = parseSchema(file.source, file.path, file.version)

    it("declares exactly the reference schema's types, fields, tags and enum values", () => {
      const referenceSource = readFileSync(new URL(`v${file.version}.bare`, referenceDir), "utf8")
      const reference = parseSchema(referenceSource, "reference.bare", file.version)
      expect(ours.descriptor.types).toEqual(reference.descriptor.types)
      expect([...ours.descriptor.roots].sort()).toEqual([...reference.descriptor.roots].sort())
    })

    // v4 adds two engine-internal roots, never sent on a runner's socket.
    const roots = ["ToClient", "ToGateway", "ToServer", "ToServerlessServer"]
    const v4Roots = ["ActorCommandKeyData", "ToRunner"]
    const expected = file.version >= 4 ? [...v4Roots, ...roots].sort() : roots
    it(`has the ${expected.length} root types that travel on their own`, () => {
      expect([...ours.descriptor.roots].sort()).toEqual(expected)
    })

    it("still has the fingerprint pinned in versions.json", () => {
      const lock = readVersionsLock(layout.lockFile)
      expect(lock.released[String(file.version)]?.fingerprint).toBe(fingerprint(ours.descriptor))
    })
  })
}

describe("fingerprint", () => {
  const base = "type A struct { x: u8 }\ntype B union { A | C }\ntype C void\n"
  const of = (source: string) => fingerprint(parseSchema(source, "t.bare", 1).descriptor)

  it("ignores comments, whitespace and declaration order", () => {
    const reordered =
      "# a comment\ntype C void\n\ntype B union {\n  A |\n  C\n}\ntype A struct {\n  x: u8\n}\n"
    expect(of(reordered)).toBe(of(base))
  })

  it("changes when a union member moves, which shifts tags on the wire", () => {
    expect(of(base.replace("A | C", "C | A"))).not.toBe(of(base))
  })

  it("changes when a field is renamed, which changes the generated TypeScript", () => {
    expect(of(base.replace("x: u8", "y: u8"))).not.toBe(of(base))
  })
})

describe("parseSchema positions", () => {
  it("records file:line:column of types and fields for messages that cite them", () => {
    const parsed = parseSchema("type A struct {\n  first: u8\n  second: str\n}\n", "a.bare", 1)
    expect(parsed.positions.get("A")).toEqual({ file: "a.bare", line: 1, column: 1 })
    expect(parsed.positions.get("A.second")).toEqual({ file: "a.bare", line: 3, column: 3 })
  })
})

describe("schemas unlike ours", () => {
  const source = [
    "type Sample struct {",
    "  sensor_id: data[8]",
    "  taken_at__ms: u64",
    "  HTTP_code: u16",
    "  value: u8",
    "}",
    "",
  ].join("\n")

  it("names snake_case fields by their camelCase property, placed where the schema spells them", () => {
    const parsed = parseSchema(source, "v1.bare", 1)
    expect(parsed.descriptor.types.Sample).toEqual({
      kind: "struct",
      fields: [
        { name: "sensorId", type: { kind: "data", length: 8 } },
        { name: "takenAtMs", type: { kind: "u64" } },
        { name: "hTTPCode", type: { kind: "u16" } },
        { name: "value", type: { kind: "u8" } },
      ],
    })
    expect(parsed.positions.get("Sample.takenAtMs")).toEqual({
      file: "v1.bare",
      line: 3,
      column: 3,
    })
    expect(parsed.generatorSource).toContain("  takenAtMs: u64\n")
  })

  it("refuses two fields that become one property, at the second one", () => {
    const clash = "type A struct {\n  retry_count: u8\n  retryCount: u8\n}\n"
    expect(() => parseSchema(clash, "v1.bare", 1)).toThrow(
      /^v1\.bare:3:3: name of a struct member must be unique/,
    )
  })

  it("refuses what bare-ts refuses to generate, at its line and column after renamed fields", () => {
    const undefinedType = "type A struct {\n  long_field_name: u8\n  other: Missing\n}\n"
    expect(() => parseSchema(undefinedType, "v1.bare", 1)).toThrow(
      expect.objectContaining({
        name: "SchemaSyntaxError",
        at: { file: "v1.bare", line: 3, column: 10 },
      }),
    )
  })

  it("lets a type be used before its definition, as gen does", () => {
    const forward = "type U union { A }\ntype A struct {\n  n: u8\n}\n"
    expect(parseSchema(forward, "v1.bare", 1).descriptor.roots).toEqual(["U"])
  })
})
