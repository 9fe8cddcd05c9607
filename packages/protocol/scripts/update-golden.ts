// Rewrites test/golden/v<N>/ from the fixture tables in test/golden/fixtures-v<N>.ts, and removes
// golden files no fixture produces any more. Run it after adding or changing a fixture, then read
// the diff of the .txt files: a changed .bin under a released version is a wire change.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { PROTOCOL_VERSIONS } from "../src/index.js"
import { goldenFiles, versionDir } from "../test/golden/corpus.js"
import { goldenCorpus } from "../test/golden/fixtures.js"

const GOLDEN_FILE = /\.(bin|txt)$/

function holds(path: string, content: Uint8Array | string): boolean {
  if (!existsSync(path)) return false
  const expected = typeof content === "string" ? new TextEncoder().encode(content) : content
  return Buffer.compare(readFileSync(path), expected) === 0
}

for (const version of PROTOCOL_VERSIONS) {
  const entries = goldenCorpus[version]
  if (entries === undefined) {
    throw new Error(`v${version} has no fixtures: add test/golden/fixtures-v${version}.ts`)
  }
  const dir = versionDir(version)
  mkdirSync(dir, { recursive: true })
  const planned = goldenFiles(entries)
  let written = 0
  for (const [name, content] of planned) {
    const path = join(dir, name)
    if (holds(path, content)) continue
    writeFileSync(path, content)
    written++
  }
  const stale = readdirSync(dir).filter((name) => GOLDEN_FILE.test(name) && !planned.has(name))
  for (const name of stale) rmSync(join(dir, name))
  console.log(
    `v${version}: ${planned.size} golden files (${entries.length} messages), ${written} written, ${stale.length} removed`,
  )
}
