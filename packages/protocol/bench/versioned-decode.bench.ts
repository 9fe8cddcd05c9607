/**
 * Versioned decode benchmark: reading v1 and v2 `ToClient` bytes into the latest shape
 * (`decodeToClient(bytes, { version })`, decode then the upgrade steps) against decoding latest bytes
 * natively, on the codec bench's message mix, all in one process. The reverse (writing the latest
 * shape as v1 or v2 bytes) is printed for information. Exits 1 when the decode target is missed
 * unless run with `--no-fail`.
 */
import { isDeepStrictEqual } from "node:util"
import {
  decodeToClient,
  downgradeToClient,
  encodeToClient,
  type Loss,
  latest,
  upgradeToClient,
  v1,
  v2,
} from "../src/index.js"
import { benchMessages } from "./messages.js"
import { type BenchTask, measureInRounds, median, type RoundSamples } from "./rounds.js"
import { formatCount, formatRatio, renderTable } from "./table.js"

const ROUNDS = 21
const MIN_TIME_MS = 40
/** Decoding an older version into the latest shape may cost at most this much native latest decoding. */
const DECODE_TARGET = 1.3

const reportOnly = process.argv.includes("--no-fail")

const OLDER_VERSIONS = [2, 1] as const
type OlderVersion = (typeof OLDER_VERSIONS)[number]

/** One message of the mix in every form the bench reads or writes. */
interface Forms {
  readonly name: string
  readonly latest: latest.ToClient
  readonly nativeBytes: Uint8Array
  /** The message as each older version can say it, as bytes of that version. */
  readonly olderBytes: Readonly<Record<OlderVersion, Uint8Array>>
  /** The latest shape of what each older version can say: what reading its bytes gives. */
  readonly olderInLatest: Readonly<Record<OlderVersion, latest.ToClient>>
}

const lossesSeen: string[] = []

function recordLosses(name: string, to: OlderVersion) {
  return (loss: Loss) => lossesSeen.push(`${name} as v${to}: ${loss.type}.${loss.field}`)
}

/** The v1 and v2 messages of the mix are the latest ones downgraded, dropping what they cannot say. */
function formsOf(name: string, message: latest.ToClient): Forms {
  const asV2 = downgradeToClient(message, 2, { lossy: "drop", onLoss: recordLosses(name, 2) })
  const asV1 = downgradeToClient(message, 1, { lossy: "drop", onLoss: recordLosses(name, 1) })
  if (asV2 === null || asV1 === null) throw new Error(`"${name}" has no v1 or v2 counterpart`)
  return {
    name,
    latest: message,
    nativeBytes: latest.encodeToClient(message),
    olderBytes: { 2: v2.encodeToClient(asV2), 1: v1.encodeToClient(asV1) },
    olderInLatest: { 2: upgradeToClient(asV2, 2), 1: upgradeToClient(asV1, 1) },
  }
}

// The mix is written in the v3 shape; its messages all have a latest counterpart.
const forms = benchMessages.map(({ name, message }) => formsOf(name, upgradeToClient(message, 3)))

/** A table row: one operation handles each of `forms` once. */
interface Row {
  readonly name: string
  readonly forms: readonly Forms[]
}

const rows: readonly Row[] = [
  ...forms.map((form) => ({ name: form.name, forms: [form] })),
  { name: "mix (1 op = all 5)", forms },
]
const mix = rows[rows.length - 1]!

function checkConversions(): void {
  for (const form of forms) {
    for (const version of OLDER_VERSIONS) {
      const decoded = decodeToClient(form.olderBytes[version], { version })
      if (!isDeepStrictEqual(decoded, form.olderInLatest[version])) {
        throw new Error(`v${version} bytes of "${form.name}" do not read as their upgrade`)
      }
      const written = encodeToClient(form.olderInLatest[version], { version })
      if (!isDeepStrictEqual(written, form.olderBytes[version])) {
        throw new Error(`"${form.name}" written as v${version} differs from the v${version} bytes`)
      }
    }
  }
}

type Operation = "decode" | "encode"
type Source = "latest native" | `v${OlderVersion}`
const SOURCES: readonly Source[] = ["latest native", "v2", "v1"]

function taskId(operation: Operation, source: Source, row: Row): string {
  return `${operation} ${source} / ${row.name}`
}

/** Reads each form's bytes of `source` into the latest shape. */
function decodeTask(source: Source, row: Row): BenchTask {
  const inputs = row.forms.map((form) =>
    source === "latest native" ? form.nativeBytes : form.olderBytes[versionOf(source)],
  )
  const run =
    source === "latest native"
      ? () => {
          let decoded: unknown
          for (const bytes of inputs) decoded = latest.decodeToClient(bytes)
          return decoded
        }
      : () => {
          const options = { version: versionOf(source) }
          let decoded: unknown
          for (const bytes of inputs) decoded = decodeToClient(bytes, options)
          return decoded
        }
  return { id: taskId("decode", source, row), run }
}

/** Writes each form's latest shape as bytes of `source`. */
function encodeTask(source: Source, row: Row): BenchTask {
  if (source === "latest native") {
    const inputs = row.forms.map((form) => form.latest)
    return {
      id: taskId("encode", source, row),
      run: () => {
        let written: unknown
        for (const message of inputs) written = latest.encodeToClient(message)
        return written
      },
    }
  }
  const version = versionOf(source)
  const inputs = row.forms.map((form) => form.olderInLatest[version])
  const options = { version }
  return {
    id: taskId("encode", source, row),
    run: () => {
      let written: unknown
      for (const message of inputs) written = encodeToClient(message, options)
      return written
    },
  }
}

function versionOf(source: Exclude<Source, "latest native">): OlderVersion {
  return source === "v2" ? 2 : 1
}

// The tasks a ratio compares run one right after the other, so a busy moment on a shared machine
// is more likely to hit both than one of them.
const tasks: readonly BenchTask[] = [
  ...rows.flatMap((row) => SOURCES.map((source) => decodeTask(source, row))),
  ...rows.flatMap((row) => SOURCES.map((source) => encodeTask(source, row))),
]

/** Median over rounds of `numerator time ÷ denominator time`, paired within each round. */
function timeRatio(samples: RoundSamples, numeratorId: string, denominatorId: string) {
  const numerator = samples.get(numeratorId)!
  const denominator = samples.get(denominatorId)!
  const perRound = numerator.map((ns, round) => ns / denominator[round]!)
  return { value: median(perRound), low: Math.min(...perRound), high: Math.max(...perRound) }
}

function opsPerSecond(samples: RoundSamples, id: string): number {
  return 1e9 / median(samples.get(id)!)
}

function printTable(samples: RoundSamples, operation: Operation, title: string): void {
  const header = [
    title,
    ...SOURCES.map((source) => `${source} ops/s`),
    "v2 / latest time",
    "v1 / latest time",
  ]
  const cells = rows.map((row) => [
    row.name,
    ...SOURCES.map((source) => formatCount(opsPerSecond(samples, taskId(operation, source, row)))),
    ...(["v2", "v1"] as const).map((source) =>
      formatRatio(
        timeRatio(samples, taskId(operation, source, row), taskId(operation, "latest native", row))
          .value,
      ),
    ),
  ])
  console.log(renderTable(header, cells))
}

interface Target {
  readonly name: string
  readonly value: number
  readonly low: number
  readonly high: number
}

function targetsOf(samples: RoundSamples): readonly Target[] {
  return (["v2", "v1"] as const).map((source) => ({
    name: `decode ${source} → latest time / latest native decode time (mix)`,
    ...timeRatio(samples, taskId("decode", source, mix), taskId("decode", "latest native", mix)),
  }))
}

function printTargets(targets: readonly Target[]): void {
  const cells = targets.map((target) => [
    target.name,
    formatRatio(target.value),
    `${formatRatio(target.low)}..${formatRatio(target.high)}`,
    `<= ${formatRatio(DECODE_TARGET)}`,
    target.value <= DECODE_TARGET ? "ok" : "MISSED",
  ])
  console.log(renderTable(["ratio", "median", "rounds range", "target", ""], cells))
}

async function main(): Promise<void> {
  checkConversions()
  console.log(
    `versioned decode bench: node ${process.version}, ${tasks.length} tasks, ${ROUNDS} rounds ` +
      `(+1 warm-up round dropped), >= ${MIN_TIME_MS} ms per task per round, medians over rounds`,
  )
  console.log(`v2 and v1 forms of the mix dropped: ${lossesSeen.join("; ")}`)
  const started = performance.now()
  const samples = await measureInRounds(tasks, { rounds: ROUNDS, minTimeMs: MIN_TIME_MS }, (r) =>
    process.stderr.write(r === 0 ? "warm-up done\n" : `round ${r}/${ROUNDS} done\n`),
  )
  console.log(`measured in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  printTable(samples, "decode", "decode into the latest shape")
  console.log()
  printTable(samples, "encode", "encode the latest shape (information)")
  console.log()
  const targets = targetsOf(samples)
  printTargets(targets)
  const missed = targets.filter((target) => target.value > DECODE_TARGET)
  if (missed.length > 0 && !reportOnly) {
    console.error(
      `\nversioned decode bench: ${missed.length} target(s) missed: ` +
        `${missed.map((t) => t.name).join("; ")} (run with --no-fail to only report)`,
    )
    process.exitCode = 1
  }
}

await main()
