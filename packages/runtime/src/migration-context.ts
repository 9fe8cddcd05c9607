import { TunnelwireError } from "./errors.js"

/**
 * What a downgrade does when the older version cannot carry the meaning of a message:
 * - `refuse` (default): throw `DowngradeError`; nothing is sent.
 * - `drop`: drop what cannot be said (a field, or a whole message that has no counterpart),
 *   report each loss to `onLoss`, and go on. An encoder then returns `null` for a dropped message.
 */
export type LossPolicy = "refuse" | "drop"

/** One thing a downgrade could not carry over. */
export interface Loss {
  /** The type being converted, such as `OrderLine`. */
  readonly type: string
  /** The field or union member that cannot be represented. */
  readonly field: string
  /** The version being converted to when the loss happened. */
  readonly targetVersion: number
  readonly reason: string
  /** Whether the whole message is dropped (no counterpart), rather than one field. */
  readonly dropsMessage: boolean
}

/** A downgrade that would change a message's meaning, refused under the `refuse` policy. */
export class DowngradeError extends TunnelwireError {
  override name = "DowngradeError"
  readonly type: string
  readonly field: string
  readonly targetVersion: number
  readonly reason: string

  constructor(loss: Loss) {
    super(`cannot downgrade ${loss.type}.${loss.field} to v${loss.targetVersion}: ${loss.reason}`)
    this.type = loss.type
    this.field = loss.field
    this.targetVersion = loss.targetVersion
    this.reason = loss.reason
  }
}

/** Thrown through the converters under the `drop` policy; the versioned encoder turns it into `null`. */
export class MessageDropped extends Error {
  override name = "MessageDropped"
  readonly loss: Loss

  constructor(loss: Loss) {
    super(`message dropped: ${loss.type}.${loss.field} has no v${loss.targetVersion} counterpart`)
    this.loss = loss
  }
}

/** Passed to every converter of one step of a migration chain (for example v3 → v2). */
export interface MigrationContext {
  readonly from: number
  readonly to: number
  /** A field that cannot be carried over: throws under `refuse`, is reported under `drop`. */
  loss(detail: { type: string; field: string; reason: string }): void
  /** A union member the target version lacks: the whole message cannot be sent. */
  unrepresentable(detail: { type: string; member: string }): never
}

export interface DowngradeOptions {
  readonly lossy?: LossPolicy
  readonly onLoss?: (loss: Loss) => void
}

export function migrationContext(
  from: number,
  to: number,
  options: DowngradeOptions = {},
): MigrationContext {
  const policy = options.lossy ?? "refuse"
  return {
    from,
    to,
    loss({ type, field, reason }) {
      const loss: Loss = { type, field, reason, targetVersion: to, dropsMessage: false }
      if (policy === "refuse") throw new DowngradeError(loss)
      options.onLoss?.(loss)
    },
    unrepresentable({ type, member }) {
      const reason = `v${to} has no ${member} member in ${type}`
      const loss: Loss = { type, field: member, reason, targetVersion: to, dropsMessage: true }
      if (policy === "refuse") throw new DowngradeError(loss)
      options.onLoss?.(loss)
      throw new MessageDropped(loss)
    },
  }
}

/** Upgrades never lose meaning: their context refuses everything, so a converter bug is loud. */
export function upgradeContext(from: number, to: number): MigrationContext {
  return migrationContext(from, to, { lossy: "refuse" })
}

export function mapOptional<A, B>(value: A | null, convert: (value: A) => B): B | null {
  return value === null ? null : convert(value)
}

export function mapList<A, B>(values: readonly A[], convert: (value: A) => B): B[] {
  return values.map(convert)
}

export function mapEntries<K1, V1, K2, V2>(
  map: ReadonlyMap<K1, V1>,
  convertKey: (key: K1) => K2,
  convertValue: (value: V1) => V2,
): Map<K2, V2> {
  const out = new Map<K2, V2>()
  for (const [key, value] of map) out.set(convertKey(key), convertValue(value))
  return out
}
