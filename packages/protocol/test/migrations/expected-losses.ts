/**
 * What each downgrade step cannot carry and what a round trip changes, written out here from the
 * protocol notes rather than read from the converters: the oracle the property tests hold the
 * migrations to. A converter that refuses more, refuses less or reports another field disagrees
 * with this table, and the properties fail.
 */
import fc from "fast-check"
import { schemaOf } from "../../src/index.js"
import { arbitraryOf } from "../support/arbitrary.js"
import { arrayOf, fieldsOf, replaceValuesOfTypes, valuesOfTypes } from "./named-values.js"

/** A field whose value the step down to `targetVersion` cannot carry. */
export interface FieldLossRule {
  readonly kind: "field"
  readonly type: string
  /** As the step's converter names it: the field of version `targetVersion + 1`. */
  readonly field: string
  readonly targetVersion: number
  /** Which field holds this meaning in each version above the target (v3 renamed `retry`). */
  readonly heldAs: Readonly<Partial<Record<number, string>>>
  readonly isLost: (value: unknown) => boolean
  /** Values the step cannot carry. */
  readonly lostValues: fc.Arbitrary<unknown>
  /** What the field holds after a `drop` downgrade and the upgrade back. */
  readonly restoredAs: unknown
}

/** A union member the target version lacks: the whole message has no counterpart there. */
export interface MemberLossRule {
  readonly kind: "member"
  readonly type: string
  readonly member: string
  readonly targetVersion: number
}

export type LossRule = FieldLossRule | MemberLossRule

const I64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n }
const NO_MESSAGE_INDEX = -1n

export const lossRules: readonly LossRule[] = [
  {
    kind: "field",
    type: "ToClientWebSocketMessage",
    field: "index",
    targetVersion: 1,
    heldAs: { 2: "index", 3: "index" },
    isLost: (index) => index !== 0,
    lostValues: fc.integer({ min: 1, max: 0xffff }),
    restoredAs: 0,
  },
  {
    kind: "field",
    type: "ToServerWebSocketOpen",
    field: "canHibernate",
    targetVersion: 1,
    heldAs: { 2: "canHibernate", 3: "canHibernate" },
    isLost: (canHibernate) => canHibernate === true,
    lostValues: fc.constant(true),
    restoredAs: false,
  },
  {
    kind: "field",
    type: "ToServerWebSocketOpen",
    field: "lastMsgIndex",
    targetVersion: 1,
    heldAs: { 2: "lastMsgIndex" },
    isLost: (lastMsgIndex) => lastMsgIndex !== NO_MESSAGE_INDEX,
    lostValues: fc.bigInt(I64).filter((index) => index !== NO_MESSAGE_INDEX),
    restoredAs: NO_MESSAGE_INDEX,
  },
  {
    kind: "field",
    type: "ToServerWebSocketClose",
    field: "retry",
    targetVersion: 1,
    heldAs: { 2: "retry", 3: "hibernate" },
    isLost: (retry) => retry === true,
    lostValues: fc.constant(true),
    restoredAs: false,
  },
  {
    kind: "member",
    type: "ToServerTunnelMessageKind",
    member: "ToServerWebSocketMessageAck",
    targetVersion: 1,
  },
  {
    kind: "field",
    type: "CommandStartActor",
    field: "hibernatingRequestIds",
    targetVersion: 2,
    heldAs: { 3: "hibernatingRequestIds" },
    isLost: (ids) => arrayOf(ids).length > 0,
    lostValues: fc.array(
      fc.uint8Array({ minLength: 16, maxLength: 16 }).map((id) => id.slice().buffer),
      { minLength: 1, maxLength: 3 },
    ),
    restoredAs: [],
  },
]

/**
 * Fields a newer version removed: going up past the removal and back down fills them with a
 * default instead of the original value.
 */
export const removedFields = [
  {
    type: "ToServerWebSocketOpen",
    field: "lastMsgIndex",
    presentFrom: 2,
    removedIn: 3,
    comesBackAs: NO_MESSAGE_INDEX,
  },
] as const

/** `field` of the loss, as `DowngradeError` and `onLoss` report it. */
export function lossField(rule: LossRule): string {
  return rule.kind === "field" ? rule.field : rule.member
}

export function ruleName(rule: LossRule): string {
  return `${rule.type}.${lossField(rule)} to v${rule.targetVersion}`
}

/** The rules a value of version `from` meets on its way down to version `to`. */
export function rulesBetween(to: number, from: number): LossRule[] {
  return lossRules.filter(
    (rule) => rule.targetVersion >= to && rule.targetVersion < from && holdsMeaning(rule, from),
  )
}

function holdsMeaning(rule: LossRule, version: number): boolean {
  if (rule.kind === "field") return rule.heldAs[version] !== undefined
  const union = schemaOf(version).types[rule.type]
  return union?.kind === "union" && union.members.some((member) => member.name === rule.member)
}

export interface ExpectedLoss {
  readonly type: string
  readonly field: string
  readonly targetVersion: number
  readonly dropsMessage: boolean
}

/**
 * Every loss downgrading `value` (a `root` of version `from`) to version `to` meets, in the order
 * the steps meet them: step by step from the top, in written order within a step.
 */
export function expectedLosses(
  root: string,
  value: unknown,
  from: number,
  to: number,
): ExpectedLoss[] {
  const schema = schemaOf(from)
  const rules = rulesBetween(to, from)
  const losses: ExpectedLoss[] = []
  for (let target = from - 1; target >= to; target--) {
    const stepRules = rules.filter((rule) => rule.targetVersion === target)
    const types = [...new Set(stepRules.map((rule) => rule.type))]
    for (const found of valuesOfTypes(schema, root, value, types)) {
      for (const rule of stepRules) {
        if (rule.type === found.type && isLostIn(rule, found.value, from)) {
          losses.push({
            type: rule.type,
            field: lossField(rule),
            targetVersion: target,
            dropsMessage: rule.kind === "member",
          })
        }
      }
    }
  }
  return losses
}

/** The losses `onLoss` hears of under `drop`: all of them, up to a dropped message. */
export function reportedLosses(losses: readonly ExpectedLoss[]): ExpectedLoss[] {
  const dropped = losses.findIndex((loss) => loss.dropsMessage)
  return dropped === -1 ? [...losses] : losses.slice(0, dropped + 1)
}

function isLostIn(rule: LossRule, value: unknown, version: number): boolean {
  if (rule.kind === "member") return fieldsOf(value).tag === rule.member
  const field = rule.heldAs[version]
  return field !== undefined && rule.isLost(fieldsOf(value)[field])
}

/**
 * What `value` (a `root` of version `from`) is after a `drop` downgrade to version `to` and the
 * upgrade back: every field that could not be carried holds its restored value.
 */
export function afterDroppingLosses(root: string, value: unknown, from: number, to: number) {
  const rules = rulesBetween(to, from).filter((rule) => rule.kind === "field")
  return replaceValuesOfTypes(
    schemaOf(from),
    root,
    value,
    rules.map((rule) => rule.type),
    (found, type) => {
      let fields = fieldsOf(found)
      for (const rule of rules) {
        const field = rule.heldAs[from]
        if (rule.type === type && field !== undefined && rule.isLost(fields[field])) {
          fields = { ...fields, [field]: rule.restoredAs }
        }
      }
      return fields
    },
  )
}

/**
 * What `value` (a `root` of version `low`) is after an upgrade to version `high` and the
 * downgrade back: every field a version up to `high` removed comes back as its default.
 */
export function afterRoundTrip(root: string, value: unknown, low: number, high: number): unknown {
  const removed = removedFields.filter(
    (field) => low >= field.presentFrom && low < field.removedIn && high >= field.removedIn,
  )
  return replaceValuesOfTypes(
    schemaOf(low),
    root,
    value,
    removed.map((field) => field.type),
    (found, type) => {
      let fields = fieldsOf(found)
      for (const field of removed) {
        if (field.type === type) fields = { ...fields, [field.field]: field.comesBackAs }
      }
      return fields
    },
  )
}

/** Values of the rule's type in version `version` that the rule's step cannot carry. */
export function lostValuesOf(rule: LossRule, version: number): fc.Arbitrary<unknown> {
  const schema = schemaOf(version)
  if (rule.kind === "member") {
    return arbitraryOf(schema, rule.member).map((val) => ({ tag: rule.member, val }))
  }
  const field = rule.heldAs[version]
  if (field === undefined) throw new Error(`v${version} has no field for ${ruleName(rule)}`)
  return fc
    .tuple(arbitraryOf(schema, rule.type), rule.lostValues)
    .map(([random, lost]) => ({ ...fieldsOf(random), [field]: lost }))
}
