// What a conversion did, in a form to compare: the refusal it threw, the losses it reported, the
// bytes it wrote.

import { toHex } from "@tunnelwire/runtime"
import { expect } from "vitest"
import { DowngradeError, type Loss } from "../../src/index.js"

export interface Refusal {
  readonly type: string
  readonly field: string
  readonly targetVersion: number
}

/** What `attempt` refused, from the `DowngradeError` it must throw. */
export function refusalOf(attempt: () => unknown): Refusal {
  try {
    attempt()
  } catch (error) {
    expect(error).toBeInstanceOf(DowngradeError)
    if (error instanceof DowngradeError) {
      expect(error.reason).not.toBe("")
      return { type: error.type, field: error.field, targetVersion: error.targetVersion }
    }
  }
  throw new Error("expected a DowngradeError, but nothing was thrown")
}

/** A loss as `onLoss` reports it, without its prose. */
export type ReportedLoss = Omit<Loss, "reason">

/** Options for a `drop` downgrade, and the losses it reported. */
export function dropRecorder() {
  const losses: ReportedLoss[] = []
  const options = {
    lossy: "drop",
    onLoss: ({ type, field, targetVersion, dropsMessage }: Loss) => {
      losses.push({ type, field, targetVersion, dropsMessage })
    },
  } as const
  return { options, losses }
}

/** Bytes as hex, so a mismatch shows where. */
export function hex(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : toHex(bytes)
}
