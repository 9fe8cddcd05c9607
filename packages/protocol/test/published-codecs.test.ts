// Wire-exact against Rivet's own code: every root type of v4–v7, encoded with our codecs and with
// Rivet's, must give the same bytes both ways. v5–v7 use the codec published in
// `@rivetkit/engine-runner-protocol` (2.0.33 embeds v5, 2.1.5 v6, 2.2.1 v7); v4 was never
// published, so its reference is bare-ts' own output for Rivet's v4 schema file, unmodified.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Config, transform } from "@bare-ts/tools"
import fc from "fast-check"
import * as rivetV5 from "rivet-protocol-v5"
import * as rivetV6 from "rivet-protocol-v6"
import * as rivetV7 from "rivet-protocol-v7"
import { describe, expect, it } from "vitest"
import { schemaOf } from "../src/index.js"
import { arbitraryOf } from "./support/arbitrary.js"
import { comparable } from "./support/comparable.js"
import { rootCodecOf } from "./support/root-codecs.js"

const RUNS = { numRuns: 1000 }

const here = dirname(fileURLToPath(import.meta.url))
const RIVET_V4_SCHEMA = join(here, "fixtures/rivet/v4.bare")

/** A codec module as bare-ts writes it: `encodeX`/`decodeX` for each root type X. */
type ReferenceModule = Readonly<Record<string, unknown>>

/** Rivet's v4 schema through bare-ts, written beside the workspace's `@bare-ts/lib` to load. */
async function rivetV4(): Promise<ReferenceModule> {
  const source = readFileSync(RIVET_V4_SCHEMA, "utf8")
  const code = transform(source, Config({ generator: "js", schema: "v4.bare" }))
  const dir = join(here, "../node_modules/.cache/rivet-v4-reference")
  mkdirSync(dir, { recursive: true })
  const file = join(dir, "v4.js")
  writeFileSync(file, code)
  return import(pathToFileURL(file).href)
}

const references: Readonly<Record<4 | 5 | 6 | 7, () => Promise<ReferenceModule>>> = {
  4: rivetV4,
  5: async () => rivetV5,
  6: async () => rivetV6,
  7: async () => rivetV7,
}

interface ReferenceCodec {
  encode(message: unknown): Uint8Array
  decode(bytes: Uint8Array): unknown
}

function referenceCodecOf(module: ReferenceModule, root: string): ReferenceCodec {
  const encode = module[`encode${root}`]
  const decode = module[`decode${root}`]
  if (typeof encode !== "function" || typeof decode !== "function") {
    throw new Error(`the reference codec has no encode${root}/decode${root}`)
  }
  return {
    encode: (message) => encode(message) as Uint8Array,
    decode: (bytes) => decode(bytes) as unknown,
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")
}

describe.each([4, 5, 6, 7] as const)("v%i", (version) => {
  describe.each(schemaOf(version).roots)("%s", (root) => {
    const ours = rootCodecOf(version, root)
    const messages = arbitraryOf(schemaOf(version), root)

    it("our bytes read back with Rivet's codec, which writes the same bytes and value", async () => {
      const theirs = referenceCodecOf(await references[version](), root)
      fc.assert(
        fc.property(messages, (message) => {
          const bytes = ours.encode(message)
          const decoded = theirs.decode(bytes)
          expect(comparable(decoded)).toStrictEqual(comparable(message))
          expect(hex(theirs.encode(decoded))).toBe(hex(bytes))
        }),
        RUNS,
      )
    })

    it("Rivet's bytes read back with our codec, which writes the same bytes and value", async () => {
      const theirs = referenceCodecOf(await references[version](), root)
      fc.assert(
        fc.property(messages, (message) => {
          const bytes = theirs.encode(message)
          const decoded = ours.decode(bytes)
          expect(comparable(decoded)).toStrictEqual(comparable(message))
          expect(hex(ours.encode(decoded))).toBe(hex(bytes))
        }),
        RUNS,
      )
    })
  })
})
