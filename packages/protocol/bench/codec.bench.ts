/**
 * Codec benchmark: tunnelwire against the JSON mapping and against plain bare-ts output, on a
 * fixed mix of v3 `ToClient` messages, all in one process. Prints figures and ratios; exits 1
 * when a target ratio is missed unless run with `--no-fail`.
 */
import { isDeepStrictEqual } from "node:util"
import { v3 } from "../src/index.js"
import {
  type Contender,
  contenders,
  json,
  plainBare,
  plainEncode,
  tunnelwire,
} from "./contenders.js"
import { benchMessages, largePayload, largeWebSocketMessage } from "./messages.js"
import { type BenchTask, measureInRounds, median, type RoundSamples } from "./rounds.js"
import { formatBandwidth, formatCount, formatRatio, renderTable } from "./table.js"

const ROUNDS = 11
const MIN_TIME_MS = 60

const reportOnly = process.argv.includes("--no-fail")

/** A table row: one operation encodes and decodes each of `messages` once. */
interface Row {
  readonly name: string
  readonly messages: readonly v3.ToClient[]
}

const rows: readonly Row[] = [
  ...benchMessages.map(({ name, message }) => ({ name, messages: [message] })),
  { name: "mix (1 op = all 5)", messages: benchMessages.map(({ message }) => message) },
]
const mix = rows[rows.length - 1]!

function checkRoundTrips(): void {
  for (const { name, message } of benchMessages) {
    for (const contender of contenders) {
      if (!isDeepStrictEqual(contender.roundTrip(message), message)) {
        throw new Error(`${contender.name} does not round-trip "${name}"`)
      }
    }
    if (!isDeepStrictEqual(v3.encodeToClient(message), plainEncode(message).slice())) {
      throw new Error(`tunnelwire and plain bare-ts write different bytes for "${name}"`)
    }
  }
}

function taskId(contender: Contender, row: Row): string {
  return `${contender.name} / ${row.name}`
}

function roundTripTask(contender: Contender, row: Row): BenchTask {
  return {
    id: taskId(contender, row),
    run: () => {
      let decoded: unknown
      for (const message of row.messages) decoded = contender.roundTrip(message)
      return decoded
    },
  }
}

function rowBytes(contender: Contender, row: Row): number {
  return row.messages.reduce((sum, message) => sum + contender.encodedSize(message), 0)
}

const copyTarget = new Uint8Array(largePayload.length)
const SET_COPY = "Uint8Array.prototype.set"
const ENCODE_LARGE = "tunnelwire encode"
const ENCODE_INTO_LARGE = "tunnelwire encodeInto"
const encodeTarget = new Uint8Array(largePayload.length + 64)
const bandwidthTasks: readonly BenchTask[] = [
  { id: ENCODE_LARGE, run: () => v3.encodeToClient(largeWebSocketMessage) },
  // Like `set`, writes into a buffer that already exists: the like-for-like comparison.
  { id: ENCODE_INTO_LARGE, run: () => v3.encodeToClientInto(largeWebSocketMessage, encodeTarget) },
  { id: "plain bare-ts encode", run: () => plainEncode(largeWebSocketMessage) },
  {
    id: SET_COPY,
    run: () => {
      copyTarget.set(largePayload)
      return copyTarget
    },
  },
  // The floor for any encoder that hands back bytes it owns: allocating them costs more than copying.
  {
    id: "new Uint8Array + set",
    run: () => {
      const copy = new Uint8Array(largePayload.length)
      copy.set(largePayload)
      return copy
    },
  },
]
const tasks: readonly BenchTask[] = [
  ...rows.flatMap((row) => contenders.map((contender) => roundTripTask(contender, row))),
  ...bandwidthTasks,
]

/** Median over rounds of `numerator ops/s ÷ denominator ops/s`, paired within each round. */
function opsRatio(samples: RoundSamples, numeratorId: string, denominatorId: string) {
  const numerator = samples.get(numeratorId)!
  const denominator = samples.get(denominatorId)!
  const perRound = numerator.map((ns, round) => denominator[round]! / ns)
  return { value: median(perRound), low: Math.min(...perRound), high: Math.max(...perRound) }
}

function opsPerSecond(samples: RoundSamples, id: string): number {
  return 1e9 / median(samples.get(id)!)
}

function printRoundTripTable(samples: RoundSamples): void {
  const header = [
    "encode+decode",
    ...contenders.flatMap((c) => [`${c.name} ops/s`, "bytes"]),
    "tw/JSON ops",
    "tw/JSON bytes",
    "tw/bare ops",
  ]
  const cells = rows.map((row) => [
    row.name,
    ...contenders.flatMap((c) => [
      formatCount(opsPerSecond(samples, taskId(c, row))),
      formatCount(rowBytes(c, row)),
    ]),
    formatRatio(opsRatio(samples, taskId(tunnelwire, row), taskId(json, row)).value),
    formatRatio(rowBytes(tunnelwire, row) / rowBytes(json, row)),
    formatRatio(opsRatio(samples, taskId(tunnelwire, row), taskId(plainBare, row)).value),
  ])
  console.log(renderTable(header, cells))
}

function printBandwidthTable(samples: RoundSamples): void {
  const cells = bandwidthTasks.map(({ id }) => [
    id,
    formatCount(opsPerSecond(samples, id)),
    formatBandwidth(opsPerSecond(samples, id) * largePayload.length),
    formatRatio(opsRatio(samples, id, SET_COPY).value),
  ])
  console.log(renderTable(["16 KiB payload", "ops/s", "bandwidth", "/ set"], cells))
}

interface Target {
  readonly name: string
  readonly value: number
  readonly spread?: { readonly low: number; readonly high: number }
  /** Absent for a figure printed for information only. */
  readonly bound?: number
  readonly atLeast: boolean
}

function targetsOf(samples: RoundSamples): readonly Target[] {
  const mixVersusJson = opsRatio(samples, taskId(tunnelwire, mix), taskId(json, mix))
  const mixVersusBare = opsRatio(samples, taskId(tunnelwire, mix), taskId(plainBare, mix))
  const copy = opsRatio(samples, ENCODE_INTO_LARGE, SET_COPY)
  const allocatingCopy = opsRatio(samples, ENCODE_LARGE, SET_COPY)
  return [
    {
      name: "tunnelwire ops/s / JSON ops/s (mix)",
      value: mixVersusJson.value,
      spread: mixVersusJson,
      bound: 3,
      atLeast: true,
    },
    {
      name: "tunnelwire bytes / JSON bytes (mix)",
      value: rowBytes(tunnelwire, mix) / rowBytes(json, mix),
      bound: 0.5,
      atLeast: false,
    },
    {
      name: "tunnelwire ops/s / plain bare-ts ops/s (mix)",
      value: mixVersusBare.value,
      spread: mixVersusBare,
      bound: 0.9,
      atLeast: true,
    },
    {
      name: "16 KiB encodeInto bandwidth / Uint8Array.set bandwidth",
      value: copy.value,
      spread: copy,
      bound: 0.5,
      atLeast: true,
    },
    {
      name: "16 KiB encode (new bytes) bandwidth / Uint8Array.set",
      value: allocatingCopy.value,
      spread: allocatingCopy,
      atLeast: true,
    },
  ]
}

function isMet(target: Target): boolean {
  if (target.bound === undefined) return true
  return target.atLeast ? target.value >= target.bound : target.value <= target.bound
}

function printTargets(targets: readonly Target[]): void {
  const cells = targets.map((target) => [
    target.name,
    formatRatio(target.value),
    target.spread === undefined
      ? "exact"
      : `${formatRatio(target.spread.low)}..${formatRatio(target.spread.high)}`,
    target.bound === undefined
      ? "info"
      : `${target.atLeast ? ">=" : "<="} ${formatRatio(target.bound)}`,
    target.bound === undefined ? "" : isMet(target) ? "ok" : "MISSED",
  ])
  console.log(renderTable(["ratio", "median", "rounds range", "target", ""], cells))
}

async function main(): Promise<void> {
  checkRoundTrips()
  console.log(
    `codec bench: node ${process.version}, ${tasks.length} tasks, ${ROUNDS} rounds ` +
      `(+1 warm-up round dropped), >= ${MIN_TIME_MS} ms per task per round, medians over rounds`,
  )
  const started = performance.now()
  const samples = await measureInRounds(tasks, { rounds: ROUNDS, minTimeMs: MIN_TIME_MS }, (r) =>
    process.stderr.write(r === 0 ? "warm-up done\n" : `round ${r}/${ROUNDS} done\n`),
  )
  console.log(`measured in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  printRoundTripTable(samples)
  console.log()
  printBandwidthTable(samples)
  console.log()
  const targets = targetsOf(samples)
  printTargets(targets)
  const missed = targets.filter((target) => !isMet(target))
  if (missed.length > 0 && !reportOnly) {
    console.error(
      `\ncodec bench: ${missed.length} target(s) missed: ${missed.map((t) => t.name).join("; ")}` +
        " (run with --no-fail to only report)",
    )
    process.exitCode = 1
  }
}

await main()
