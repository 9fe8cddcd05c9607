// A type whose schema did not change between two versions costs nothing to convert: the same
// object comes out, not a copy.

import type { SchemaDescriptor, TypeDescriptor } from "@tunnelwire/runtime"
import { migrationContext, upgradeContext } from "@tunnelwire/runtime/codegen"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { PROTOCOL_VERSIONS, schemaOf, type v1, type v2, type v3 } from "../../src/index.js"
import { arbitraryOf } from "../support/arbitrary.js"
import { stepConverter } from "./chain.js"
import {
  actorConfig,
  bytes,
  messageId,
  olderStartActor,
  requestId,
  v1ToClient,
  v3StartActor,
} from "./messages.js"
import {
  downgradeToClient,
  downgradeToServer,
  upgradeToClient,
  upgradeToServer,
} from "./v3-shaped.js"

it("upgrades a v1 KV response to v3 as the very same object", () => {
  const kv: v1.ToClient = {
    tag: "ToClientKvResponse",
    val: {
      requestId: 9,
      data: {
        tag: "KvGetResponse",
        val: { keys: [bytes(2, 1)], values: [bytes(3, 2)], metadata: [] },
      },
    },
  }
  const upgraded = upgradeToClient(kv, 1)
  expect(upgraded).toBe(kv)
  expect(upgraded.val).toBe(kv.val)
})

it("upgrades and downgrades a ping between any versions untouched", () => {
  const ping: v3.ToServer = { tag: "ToServerPing", val: { ts: 42n } }
  expect(upgradeToServer(ping, 1)).toBe(ping)
  expect(upgradeToServer(ping, 2)).toBe(ping)
  expect(downgradeToServer(ping, 1)).toBe(ping)
  expect(downgradeToServer(ping, 2)).toBe(ping)
})

it("rebuilds only the way down to a changed type and keeps everything beside it", () => {
  const data = bytes(4, 0)
  const upgraded = upgradeToClient(
    v1ToClient({ tag: "ToClientWebSocketMessage", val: { data, binary: true } }),
    1,
  )
  if (upgraded.tag !== "ToClientTunnelMessage") throw new Error("expected a tunnel message")
  expect(upgraded.val.requestId).toBe(requestId)
  expect(upgraded.val.messageId).toBe(messageId)
  if (upgraded.val.messageKind.tag !== "ToClientWebSocketMessage") throw new Error("not a message")
  expect(upgraded.val.messageKind.val.data).toBe(data)

  const older = olderStartActor()
  const start = startActorOf(upgradeToClient(older, 2))
  expect(start.config).toBe(startActorOf(older).config)
  expect(startActorOf(downgradeToClient(v3StartActor([]), 2)).config).toBe(actorConfig)
})

/** The first start command of a commands message. */
function startActorOf(
  message: v1.ToClient | v2.ToClient | v3.ToClient | null,
): v2.CommandStartActor {
  const inner = message?.tag === "ToClientCommands" ? message.val[0]?.inner : undefined
  if (inner?.tag !== "CommandStartActor") throw new Error("expected a start command")
  return inner.val
}

/** Names of the types whose schema is the same, all the way down, in both versions. */
function unchangedTypes(older: SchemaDescriptor, newer: SchemaDescriptor): string[] {
  const memo = new Map<string, boolean>()
  const unchanged = (name: string): boolean => {
    const known = memo.get(name)
    if (known !== undefined) return known
    const a = older.types[name]
    const b = newer.types[name]
    memo.set(name, true)
    const result =
      a !== undefined &&
      b !== undefined &&
      JSON.stringify(a) === JSON.stringify(b) &&
      referencedNames(a).every(unchanged)
    memo.set(name, result)
    return result
  }
  return Object.keys(older.types).filter(unchanged)
}

function referencedNames(type: TypeDescriptor): string[] {
  switch (type.kind) {
    case "ref":
      return [type.name]
    case "optional":
    case "list":
      return referencedNames(type.of)
    case "map":
      return [...referencedNames(type.key), ...referencedNames(type.value)]
    case "struct":
      return type.fields.flatMap((field) => referencedNames(field.type))
    case "union":
      return type.members.flatMap((member) => referencedNames(member.type))
    default:
      return []
  }
}

const adjacentPairs = PROTOCOL_VERSIONS.slice(0, -1).map((version) => [version, version + 1])

describe.each(adjacentPairs)("v%i ↔ v%i", (version, next) => {
  const older = schemaOf(version)
  const newer = schemaOf(next)
  const names = unchangedTypes(older, newer)

  it("finds unchanged types to check", () => {
    expect(names.length).toBeGreaterThan(20)
  })

  it.each(names)("passes a %s through by identity, up and down", (name) => {
    const up = stepConverter(version, "upgrade", name)
    const down = stepConverter(version, "downgrade", name)
    fc.assert(
      fc.property(arbitraryOf(older, name), (value) => {
        expect(up(value, upgradeContext(version, next))).toBe(value)
        expect(down(value, migrationContext(next, version))).toBe(value)
      }),
      { numRuns: 20 },
    )
  })
})
