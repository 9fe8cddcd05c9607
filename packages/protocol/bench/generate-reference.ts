/**
 * The bench's build step: the reference codec, exactly as `@bare-ts/tools` emits it for the v3
 * schema (JavaScript and its declarations), into the git-ignored `bench/reference/`. Never
 * edited: the codec bench compares tunnelwire's generated code against this output.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Config, transform } from "@bare-ts/tools"

const schemaPath = fileURLToPath(
  new URL("../../../schemas/runner-protocol/v3.bare", import.meta.url),
)
const outDir = fileURLToPath(new URL("./reference/", import.meta.url))
const source = readFileSync(schemaPath, "utf8")

mkdirSync(outDir, { recursive: true })
writeFileSync(`${outDir}v3.js`, transform(source, Config({ generator: "js", schema: schemaPath })))
writeFileSync(
  `${outDir}v3.d.ts`,
  transform(source, Config({ generator: "dts", schema: schemaPath })),
)
