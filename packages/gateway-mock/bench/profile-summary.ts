// `tsx bench/profile-summary.ts FILE.cpuprofile [TOP]`: self time by function in a V8 CPU profile
// (what BENCH_PROFILE=<dir> writes), largest first, as a share of the sampled time.
import { readFileSync } from "node:fs"

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
}

interface Profile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

const [file, top = "30"] = process.argv.slice(2)
if (file === undefined) throw new Error("usage: profile-summary.ts FILE.cpuprofile [TOP]")
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile
const nameOf = new Map<number, string>()
for (const { id, callFrame } of profile.nodes) {
  const where = callFrame.url.replace(/^.*\/(node_modules|packages)\//, "")
  nameOf.set(id, `${callFrame.functionName || "(anonymous)"} ${where}:${callFrame.lineNumber + 1}`)
}
const selfMicros = new Map<string, number>()
let total = 0
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0
  const name = nameOf.get(id) ?? "?"
  selfMicros.set(name, (selfMicros.get(name) ?? 0) + delta)
  total += delta
})
const rows = [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, Number(top))
console.log(`${(total / 1000).toFixed(0)} ms sampled`)
for (const [name, micros] of rows) {
  console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`)
}
