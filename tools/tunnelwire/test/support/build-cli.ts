// Vitest global setup: tests that run the `tunnelwire` bin run the compiled dist/, so it is
// brought up to date with the sources first, the runtime it imports included (incremental:
// nothing to do when they did not change).
import { execFileSync } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

export default function buildCli(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  execFileSync(process.execPath, [tsc, "-b", "tsconfig.build.json"], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    stdio: "inherit",
  })
}
