/**
 * Random messages that are sure to hold a given value somewhere inside: a random root message
 * with one value of the named type `typeName` planted on one of the ways down to it. What lets a
 * property test reach a rare type (say a WebSocket open inside a tunnel message inside a
 * `ToServer`) in every run rather than in one run out of fifty.
 */

import { resolveType, type SchemaDescriptor, type TypeDescriptor } from "@tunnelwire/runtime"
import fc from "fast-check"
import { arbitraryOf } from "../support/arbitrary.js"
import { arrayOf, fieldsOf } from "./named-values.js"

/** Rebuilds a random value of some type so that it holds a planted value. */
type Plant = (random: unknown) => unknown

/** Values of `root` holding one value drawn from `planted`, a value of the named type `typeName`. */
export function arbitraryHolding(
  schema: SchemaDescriptor,
  root: string,
  typeName: string,
  planted: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const reaches = reachability(schema, typeName)

  const plantIn = (type: TypeDescriptor): fc.Arbitrary<Plant> => {
    if (type.kind === "ref" && type.name === typeName) return planted.map((value) => () => value)
    const resolved = resolveType(schema, type)
    switch (resolved.kind) {
      case "optional":
        return withRandom(resolved.of, plantIn(resolved.of)).map((value) => () => value)
      case "list":
        if (resolved.length !== undefined) break
        return fc
          .tuple(fc.nat(), withRandom(resolved.of, plantIn(resolved.of)))
          .map(([position, item]) => (random) => {
            const items = [...arrayOf(random)]
            items.splice(position % (items.length + 1), 0, item)
            return items
          })
      case "struct": {
        const ways = resolved.fields.filter((field) => reaches(field.type))
        return oneWay(
          ways.map((field) =>
            plantIn(field.type).map((plant) => (random) => {
              const fields = fieldsOf(random)
              return { ...fields, [field.name]: plant(fields[field.name]) }
            }),
          ),
        )
      }
      case "union": {
        const ways = resolved.members.filter((member) => reaches(member.type))
        return oneWay(
          ways.map((member) =>
            withRandom(member.type, plantIn(member.type)).map((val) => () => ({
              tag: member.name,
              val,
            })),
          ),
        )
      }
    }
    throw new Error(`v${schema.version}: cannot plant ${typeName} through a ${resolved.kind}`)
  }

  /** A random value of `type` (a named type) with the plant applied to it. */
  const withRandom = (type: TypeDescriptor, plant: fc.Arbitrary<Plant>) => {
    if (type.kind === "ref" && type.name === typeName) return plant.map((apply) => apply(null))
    if (type.kind !== "ref") throw new Error("the schemas name every type a plant goes through")
    return fc.tuple(arbitraryOf(schema, type.name), plant).map(([random, apply]) => apply(random))
  }

  if (!reaches({ kind: "ref", name: root })) {
    throw new Error(`v${schema.version}: ${root} never holds a ${typeName}`)
  }
  return withRandom({ kind: "ref", name: root }, plantIn({ kind: "ref", name: root }))
}

/** Whether a value of the named type `root` can hold a value of the named type `typeName`. */
export function canHold(schema: SchemaDescriptor, root: string, typeName: string): boolean {
  return reachability(schema, typeName)({ kind: "ref", name: root })
}

/** Whether a value of a type can hold a value of the named type `typeName`. */
function reachability(
  schema: SchemaDescriptor,
  typeName: string,
): (type: TypeDescriptor) => boolean {
  const byName = new Map<string, boolean>()
  const reaches = (type: TypeDescriptor): boolean => {
    switch (type.kind) {
      case "ref": {
        if (type.name === typeName) return true
        const known = byName.get(type.name)
        if (known !== undefined) return known
        byName.set(type.name, false)
        const result = reaches(resolveType(schema, type))
        byName.set(type.name, result)
        return result
      }
      case "optional":
      case "list":
        return reaches(type.of)
      case "map":
        return reaches(type.key) || reaches(type.value)
      case "struct":
        return type.fields.some((field) => reaches(field.type))
      case "union":
        return type.members.some((member) => reaches(member.type))
      default:
        return false
    }
  }
  return reaches
}

function oneWay(ways: readonly fc.Arbitrary<Plant>[]): fc.Arbitrary<Plant> {
  const [first, ...others] = ways
  if (first === undefined) throw new Error("no way down to the planted type")
  return others.length === 0 ? first : fc.oneof(first, ...others)
}
