/**
 * Codec benchmark, all in one process, CPU time over interleaved rounds:
 * - encode+decode and decode alone of five v3 `ToClient` messages, against the unmodified
 *   `@bare-ts/tools` output for the same schema and plain JSON as a user would write it;
 * - 16 KiB `encodeInto` and `encode` against the best of several plain copies of the payload;
 * - rejecting mutated frames against decoding the good frames they came from.
 * Prints figures with their spread. `--check` exits 1 when a target is missed.
 */
import { isDeepStrictEqual } from "node:util"
import fc from "fast-check"
import { DecodeError, v3 } from "../src/index.js"
import { applyMutation, byteMutation } from "../test/support/byte-mutations.js"
import { bareTs, type Contender, contenders, plainJson, tunnelwire } from "./contenders.js"
import { benchMessages, largePayload, largeWebSocketMessage } from "./messages.js"
import {
  type BenchTask,
  bestOf,
  measureInRounds,
  median,
  opsRatio,
  pairedRatio,
  type Ratio,
  type RoundSamples,
} from "./rounds.js"
import { formatCount, formatRatio, renderTable } from "./table.js"

const ROUNDS = 7
const MIN_CPU_MS = 30
const check = process.argv.includes("--check")

function checkRoundTrips(): void {
  for (const { name, message } of benchMessages) {
    for (const contender of contenders) {
      if (!isDeepStrictEqual(contender.decode(contender.encode(message)), message)) {
        throw new Error(`${contender.name} does not round-trip "${name}"`)
      }
    }
    if (
      !isDeepStrictEqual(
        tunnelwire.encode(message),
        Uint8Array.from(bareTs.encode(message) as Uint8Array),
      )
    ) {
      throw new Error(`tunnelwire and @bare-ts write different bytes for "${name}"`)
    }
  }
}

const roundTripId = (c: Contender, name: string) => `${c.name} encode+decode / ${name}`
const decodeId = (c: Contender, name: string) => `${c.name} decode / ${name}`

const codecTasks: BenchTask[] = benchMessages.flatMap(({ name, message }) =>
  contenders.flatMap((contender): BenchTask[] => {
    const encoded = contender.encode(message)
    return [
      { id: roundTripId(contender, name), run: () => contender.decode(contender.encode(message)) },
      { id: decodeId(contender, name), run: () => contender.decode(encoded) },
    ]
  }),
)

// The payload copied as a plain memcpy would: into buffers of several sizes and offsets, since
// a copy into a buffer of exactly 16 KiB takes a slow path on some machines. The best counts.
const COPY_LAYOUTS = [
  { name: "exact size", size: largePayload.length, offset: 0 },
  { name: "64 KiB at 0", size: 64 * 1024, offset: 0 },
  { name: "64 KiB at 40", size: 64 * 1024, offset: 40 },
  { name: "16 KiB + 64 at 40", size: largePayload.length + 64, offset: 40 },
]
const copyTasks: BenchTask[] = COPY_LAYOUTS.map(({ name, size, offset }) => {
  const target = new Uint8Array(size)
  return {
    id: `copy ${name}`,
    run: () => {
      target.set(largePayload, offset)
      return target
    },
  }
})
const ENCODE_INTO = "tunnelwire encodeInto 16 KiB"
const ENCODE = "tunnelwire encode 16 KiB"
const encodeTarget = new Uint8Array(largePayload.length + 64)
const bandwidthTasks: BenchTask[] = [
  ...copyTasks,
  { id: ENCODE_INTO, run: () => v3.encodeToClientInto(largeWebSocketMessage, encodeTarget) },
  { id: ENCODE, run: () => v3.encodeToClient(largeWebSocketMessage) },
]

/** Mutated frames that fail to decode, each beside the good frame it came from. */
function mutatedFrames(perMessage: number): { good: Uint8Array[]; bad: Uint8Array[] } {
  const good: Uint8Array[] = []
  const bad: Uint8Array[] = []
  benchMessages.forEach(({ message }, i) => {
    const valid = v3.encodeToClient(message)
    for (const mutation of fc.sample(byteMutation, { seed: 42 + i, numRuns: perMessage * 4 })) {
      const frame = applyMutation(valid, mutation)
      try {
        v3.decodeToClient(frame)
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error
        if (bad.filter((_, j) => good[j] === valid).length < perMessage) {
          good.push(valid)
          bad.push(frame)
        }
      }
    }
  })
  return { good, bad }
}

const frames = mutatedFrames(40)
const GOOD = "decode the good frames"
const REJECT = "reject the mutated frames"
const rejectTasks: BenchTask[] = [
  {
    id: GOOD,
    run: () => {
      let decoded: unknown
      for (const frame of frames.good) decoded = v3.decodeToClient(frame)
      return decoded
    },
  },
  {
    id: REJECT,
    run: () => {
      let rejected = 0
      for (const frame of frames.bad) {
        try {
          v3.decodeToClient(frame)
        } catch {
          rejected++
        }
      }
      return rejected
    },
  },
]

const tasks = [...codecTasks, ...bandwidthTasks, ...rejectTasks]

interface Target {
  readonly name: string
  readonly ratio: Ratio
  readonly bound: number
}

const spread = (r: Ratio) => `${formatRatio(r.low)}..${formatRatio(r.high)}`
const perSecond = (samples: RoundSamples, id: string) => 1e9 / median(samples.get(id)!)

function printCodecTable(samples: RoundSamples): Target[] {
  const targets: Target[] = []
  const cells = benchMessages.map(({ name, message }) => {
    const roundTrip = opsRatio(samples, roundTripId(tunnelwire, name), roundTripId(bareTs, name))
    const decode = opsRatio(samples, decodeId(tunnelwire, name), decodeId(bareTs, name))
    const json = opsRatio(samples, roundTripId(tunnelwire, name), roundTripId(plainJson, name))
    targets.push(
      { name: `encode+decode vs @bare-ts, ${name}`, ratio: roundTrip, bound: 1.2 },
      { name: `decode vs @bare-ts, ${name}`, ratio: decode, bound: 1.0 },
    )
    return [
      name,
      formatCount(perSecond(samples, roundTripId(tunnelwire, name))),
      formatCount(perSecond(samples, roundTripId(bareTs, name))),
      formatCount(perSecond(samples, roundTripId(plainJson, name))),
      `${formatRatio(roundTrip.value)} (${spread(roundTrip)})`,
      `${formatRatio(decode.value)} (${spread(decode)})`,
      `${formatRatio(json.value)} (${spread(json)})`,
      `${tunnelwire.encodedSize(message)} / ${plainJson.encodedSize(message)}`,
    ]
  })
  console.log(
    renderTable(
      [
        "message",
        "tw enc+dec/s",
        "@bare-ts/s",
        "JSON/s",
        "tw/@bare-ts enc+dec",
        "tw/@bare-ts decode",
        "tw/JSON enc+dec",
        "bytes tw / JSON",
      ],
      cells,
    ),
  )
  return targets
}

function printBandwidthTable(samples: RoundSamples): Target[] {
  const copyIds = copyTasks.map((task) => task.id)
  const bestCopy = bestOf(samples, copyIds)
  const cells = bandwidthTasks.map(({ id }) => {
    const ratio = pairedRatio(samples.get(id)!, bestCopy)
    return [
      id,
      formatCount(perSecond(samples, id)),
      `${((perSecond(samples, id) * largePayload.length) / 1e9).toFixed(2)} GB/s`,
      `${formatRatio(ratio.value)} (${spread(ratio)})`,
    ]
  })
  console.log(renderTable(["16 KiB payload", "ops/s", "bandwidth", "/ best copy"], cells))
  return [
    {
      name: "16 KiB encodeInto vs best copy",
      ratio: pairedRatio(samples.get(ENCODE_INTO)!, bestCopy),
      bound: 0.5,
    },
  ]
}

function printRejectTable(samples: RoundSamples): Target[] {
  // Per frame: both tasks handle the same number of frames.
  const ratio = opsRatio(samples, REJECT, GOOD)
  console.log(
    renderTable(
      ["frames", "count", "frames/s"],
      [
        [
          GOOD,
          String(frames.good.length),
          formatCount(perSecond(samples, GOOD) * frames.good.length),
        ],
        [
          REJECT,
          String(frames.bad.length),
          formatCount(perSecond(samples, REJECT) * frames.bad.length),
        ],
      ],
    ),
  )
  return [{ name: "reject rate vs good decode rate", ratio, bound: 0.25 }]
}

function printTargets(targets: readonly Target[]): Target[] {
  const missed = targets.filter((t) => t.ratio.value < t.bound)
  console.log(
    renderTable(
      ["target", "median", "rounds range", "bound", ""],
      targets.map((t) => [
        t.name,
        formatRatio(t.ratio.value),
        spread(t.ratio),
        `>= ${formatRatio(t.bound)}`,
        missed.includes(t) ? "MISSED" : "ok",
      ]),
    ),
  )
  return missed
}

function main(): void {
  checkRoundTrips()
  console.log(
    `codec bench: node ${process.version}, gc between tasks: ${"gc" in globalThis}, NODE_ENV=${process.env.NODE_ENV ?? ""}, ${tasks.length} tasks, ` +
      `${ROUNDS} rounds (+1 warm-up dropped), >= ${MIN_CPU_MS} ms CPU per task per round; ` +
      "ratios are ops/s over ops/s paired by round: median (min..max)\n",
  )
  const samples = measureInRounds(tasks, { rounds: ROUNDS, minCpuMs: MIN_CPU_MS }, (r) =>
    process.stderr.write(r === 0 ? "warm-up done\n" : `round ${r}/${ROUNDS} done\n`),
  )
  const targets = printCodecTable(samples)
  console.log()
  targets.push(...printBandwidthTable(samples))
  console.log()
  targets.push(...printRejectTable(samples))
  console.log()
  const missed = printTargets(targets)
  if (check && missed.length > 0) {
    console.error(`\ncodec bench: ${missed.length} target(s) missed`)
    process.exitCode = 1
  }
}

main()
