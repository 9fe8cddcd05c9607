/**
 * Versioned decode benchmark: reading v1 and v2 `ToClient` bytes into the latest shape
 * (`decodeToClient(bytes, { version })`, decode then the upgrade steps) against decoding natively
 * the latest version's bytes of the same information (the upgraded message, encoded as latest), on the codec
 * bench's message mix, all in one process, CPU time over interleaved rounds. Reading v3–v6 bytes
 * the same way, and the reverse (writing the latest shape as v1 or v2 bytes), are printed for
 * information. `--check` exits 1 when the decode target is missed.
 */
import { isDeepStrictEqual } from "node:util"
import {
  type DowngradeOptions,
  decodeToClient,
  downgradeToClient,
  encodeToClient,
  type Loss,
  latest,
  upgradeToClient,
  v1,
  v2,
  v3,
  v4,
  v5,
  v6,
} from "../src/index.js"
import { benchMessages } from "./messages.js"
import { type BenchTask, measureInRounds, median, type RoundSamples } from "./rounds.js"
import { formatCount, formatRatio, renderTable } from "./table.js"

const ROUNDS = 7
const MIN_CPU_MS = 25
/**
 * Reading older bytes into the latest shape may cost at most this much time as natively decoding
 * latest bytes that carry the same information.
 */
const DECODE_TARGET = 1.05

const check = process.argv.includes("--check")

/** The versions the decode target is set for. */
const TARGET_VERSIONS = [2, 1] as const
/** The other older versions, whose decode is printed for information. */
const INFO_VERSIONS = [3, 4, 5, 6] as const
const OLDER_VERSIONS = [...TARGET_VERSIONS, ...INFO_VERSIONS] as const
type OlderVersion = (typeof OLDER_VERSIONS)[number]

/** One message of the mix in every form the bench reads or writes. */
interface Forms {
  readonly name: string
  readonly latest: latest.ToClient
  readonly nativeBytes: Uint8Array
  /** The latest version's bytes of what each older version can say: the same information, natively. */
  readonly sameInformationNativeBytes: Readonly<Record<OlderVersion, Uint8Array>>
  /** The message as each older version can say it, as bytes of that version. */
  readonly olderBytes: Readonly<Record<OlderVersion, Uint8Array>>
  /** The latest shape of what each older version can say: what reading its bytes gives. */
  readonly olderInLatest: Readonly<Record<OlderVersion, latest.ToClient>>
}

const lossesSeen: string[] = []

function recordLosses(name: string, to: OlderVersion) {
  return (loss: Loss) => lossesSeen.push(`${name} as v${to}: ${loss.type}.${loss.field}`)
}

const olderEncoders: Readonly<Record<OlderVersion, (message: never) => Uint8Array>> = {
  1: v1.encodeToClient,
  2: v2.encodeToClient,
  3: v3.encodeToClient,
  4: v4.encodeToClient,
  5: v5.encodeToClient,
  6: v6.encodeToClient,
}

// Loosely typed, for a loop over versions (the typed overloads want one version at a time).
const downgradeTo = downgradeToClient as (
  message: latest.ToClient,
  to: number,
  options: DowngradeOptions,
) => unknown
const upgradeFrom = upgradeToClient as (message: unknown, from: number) => latest.ToClient

/** The older messages of the mix are the latest ones downgraded, dropping what they cannot say. */
function formsOf(name: string, message: latest.ToClient): Forms {
  const sameInformationNativeBytes: Partial<Record<OlderVersion, Uint8Array>> = {}
  const olderBytes: Partial<Record<OlderVersion, Uint8Array>> = {}
  const olderInLatest: Partial<Record<OlderVersion, latest.ToClient>> = {}
  for (const version of OLDER_VERSIONS) {
    const options = { lossy: "drop", onLoss: recordLosses(name, version) } as const
    const older = downgradeTo(message, version, options)
    if (older === null) throw new Error(`"${name}" has no v${version} counterpart`)
    const upgraded = upgradeFrom(older, version)
    sameInformationNativeBytes[version] = latest.encodeToClient(upgraded)
    olderBytes[version] = olderEncoders[version](older as never)
    olderInLatest[version] = upgraded
  }
  return {
    name,
    latest: message,
    nativeBytes: latest.encodeToClient(message),
    sameInformationNativeBytes: sameInformationNativeBytes as Record<OlderVersion, Uint8Array>,
    olderBytes: olderBytes as Record<OlderVersion, Uint8Array>,
    olderInLatest: olderInLatest as Record<OlderVersion, latest.ToClient>,
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
      // Written back, the bytes need not equal the originals: the parts of a v1–v3 id that v4+
      // has no room for do not travel (docs/migrations-v4-v7.md). They must say the same again.
      const written = encodeToClient(form.olderInLatest[version], { version })
      if (!isDeepStrictEqual(decodeToClient(written, { version }), form.olderInLatest[version])) {
        throw new Error(`"${form.name}" written as v${version} does not read back the same`)
      }
    }
  }
}

type Older = `v${OlderVersion}`
const OLDER: readonly Older[] = TARGET_VERSIONS.map((version): Older => `v${version}`)
const INFO: readonly Older[] = INFO_VERSIONS.map((version): Older => `v${version}`)

const versionOf = (source: Older) => Number(source.slice(1)) as OlderVersion
const decodeId = (source: Older | "native", version: OlderVersion, row: Row) =>
  `decode ${source === "native" ? `latest native, v${version} information` : source} / ${row.name}`
const encodeId = (source: Older | "latest native", row: Row) => `encode ${source} / ${row.name}`

/** Reads each form's `source` bytes into the latest shape. */
function decodeTask(source: Older | "native", version: OlderVersion, row: Row): BenchTask {
  if (source === "native") {
    const inputs = row.forms.map((form) => form.sameInformationNativeBytes[version])
    return {
      id: decodeId(source, version, row),
      run: () => {
        let decoded: unknown
        for (const bytes of inputs) decoded = latest.decodeToClient(bytes)
        return decoded
      },
    }
  }
  const inputs = row.forms.map((form) => form.olderBytes[version])
  const options = { version }
  return {
    id: decodeId(source, version, row),
    run: () => {
      let decoded: unknown
      for (const bytes of inputs) decoded = decodeToClient(bytes, options)
      return decoded
    },
  }
}

/** Writes each form's latest shape as bytes of `source`. */
function encodeTask(source: Older | "latest native", row: Row): BenchTask {
  if (source === "latest native") {
    const inputs = row.forms.map((form) => form.latest)
    return {
      id: encodeId(source, row),
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
    id: encodeId(source, row),
    run: () => {
      let written: unknown
      for (const message of inputs) written = encodeToClient(message, options)
      return written
    },
  }
}

// The tasks a ratio compares run one right after the other, so a busy moment on a shared machine
// is more likely to hit both than one of them.
const tasks: readonly BenchTask[] = [
  ...rows.flatMap((row) =>
    [...OLDER, ...INFO].flatMap((source) => [
      decodeTask(source, versionOf(source), row),
      decodeTask("native", versionOf(source), row),
    ]),
  ),
  ...rows.flatMap((row) => (["latest native", ...OLDER] as const).map((s) => encodeTask(s, row))),
]

/** Median and range over rounds of `numerator time ÷ denominator time`, paired within each round. */
function timeRatio(samples: RoundSamples, numeratorId: string, denominatorId: string) {
  const numerator = samples.get(numeratorId)!
  const denominator = samples.get(denominatorId)!
  const perRound = numerator.map((ns, round) => ns / denominator[round]!)
  return { value: median(perRound), low: Math.min(...perRound), high: Math.max(...perRound) }
}

const opsPerSecond = (samples: RoundSamples, id: string) => 1e9 / median(samples.get(id)!)
const spread = (r: { low: number; high: number }) => `${formatRatio(r.low)}..${formatRatio(r.high)}`

function printDecodeTable(samples: RoundSamples): void {
  const cells = rows.map((row) => [
    row.name,
    ...OLDER.flatMap((source) => {
      const version = versionOf(source)
      const ratio = timeRatio(
        samples,
        decodeId(source, version, row),
        decodeId("native", version, row),
      )
      return [
        formatCount(opsPerSecond(samples, decodeId(source, version, row))),
        formatCount(opsPerSecond(samples, decodeId("native", version, row))),
        `${formatRatio(ratio.value)} (${spread(ratio)})`,
      ]
    }),
  ])
  const header = [
    "decode into the latest shape",
    ...OLDER.flatMap((s) => [`${s} ops/s`, `latest, ${s} info ops/s`, `${s} / latest time`]),
  ]
  console.log(renderTable(header, cells))
}

/** The other older versions: ratios only, for information (no target). */
function printInfoTable(samples: RoundSamples): void {
  const cells = rows.map((row) => [
    row.name,
    ...INFO.map((source) => {
      const version = versionOf(source)
      const ratio = timeRatio(
        samples,
        decodeId(source, version, row),
        decodeId("native", version, row),
      )
      return `${formatRatio(ratio.value)} (${spread(ratio)})`
    }),
  ])
  const header = ["decode into the latest shape", ...INFO.map((s) => `${s} / latest time`)]
  console.log(renderTable(header, cells))
}

function printEncodeTable(samples: RoundSamples): void {
  const cells = rows.map((row) => [
    row.name,
    ...(["latest native", ...OLDER] as const).map((s) =>
      formatCount(opsPerSecond(samples, encodeId(s, row))),
    ),
  ])
  console.log(
    renderTable(["encode the latest shape", "latest ops/s", "as v2 ops/s", "as v1 ops/s"], cells),
  )
}

interface Target {
  readonly name: string
  readonly value: number
  readonly low: number
  readonly high: number
}

function targetsOf(samples: RoundSamples): readonly Target[] {
  return OLDER.map((source) => ({
    name: `decode ${source} → latest time / latest native decode time, same information (mix)`,
    ...timeRatio(
      samples,
      decodeId(source, versionOf(source), mix),
      decodeId("native", versionOf(source), mix),
    ),
  }))
}

function printTargets(targets: readonly Target[]): void {
  const cells = targets.map((target) => [
    target.name,
    formatRatio(target.value),
    spread(target),
    `<= ${formatRatio(DECODE_TARGET)}`,
    target.value <= DECODE_TARGET ? "ok" : "MISSED",
  ])
  console.log(renderTable(["ratio", "median", "rounds range", "target", ""], cells))
}

function main(): void {
  checkConversions()
  console.log(
    `versioned decode bench: node ${process.version}, ${tasks.length} tasks, ${ROUNDS} rounds ` +
      `(+1 warm-up dropped), >= ${MIN_CPU_MS} ms CPU per task per round; median (min..max) over rounds`,
  )
  console.log(`older forms of the mix dropped: ${lossesSeen.join("; ")}\n`)
  const samples = measureInRounds(tasks, { rounds: ROUNDS, minCpuMs: MIN_CPU_MS }, (r) =>
    process.stderr.write(r === 0 ? "warm-up done\n" : `round ${r}/${ROUNDS} done\n`),
  )
  printDecodeTable(samples)
  console.log()
  printInfoTable(samples)
  console.log()
  printEncodeTable(samples)
  console.log()
  const targets = targetsOf(samples)
  printTargets(targets)
  const missed = targets.filter((target) => target.value > DECODE_TARGET)
  if (check && missed.length > 0) {
    console.error(`\nversioned decode bench: ${missed.length} target(s) missed`)
    process.exitCode = 1
  }
}

main()
