import { idKey, newId } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { createMemoryHibernationStore, type HibernatingSocket } from "../src/index.js"
import { planRestore } from "../src/tunnel/hibernation.js"
import { RecentIds } from "../src/tunnel/recent-ids.js"

const kept = (requestId: ArrayBuffer, lastMessageIndex: number | null): HibernatingSocket => ({
  requestId: idKey(requestId),
  path: "/ws",
  headers: {},
  lastMessageIndex,
})

describe("matching hibernating requests with kept metadata", () => {
  it("restores matches, reports the gateway's unknowns as missing and the actor's leftovers as stale", () => {
    const [both, gatewayOnly, actorOnly] = [newId(), newId(), newId()]
    const plan = planRestore([both, gatewayOnly], [kept(actorOnly, 1), kept(both, 7)])
    expect(plan.restore).toEqual([{ requestId: both, socket: kept(both, 7) }])
    expect(plan.missing).toEqual([gatewayOnly])
    expect(plan.stale).toEqual([kept(actorOnly, 1)])
  })

  it("matches request ids kept in upper case", () => {
    const id = newId()
    const plan = planRestore([id], [{ ...kept(id, null), requestId: idKey(id).toUpperCase() }])
    expect(plan.restore).toHaveLength(1)
  })
})

describe("the memory hibernation store", () => {
  it("keeps sockets per actor until deleted", async () => {
    const store = createMemoryHibernationStore()
    const [a, b] = [newId(), newId()]
    await store.saveHibernating("actor", kept(a, null))
    await store.saveHibernating("actor", kept(a, 3))
    await store.saveHibernating("actor", kept(b, null))
    await store.deleteHibernating("actor", idKey(b))
    expect(await store.loadHibernating("actor")).toEqual([kept(a, 3)])
    expect(await store.loadHibernating("other")).toEqual([])
  })
})

describe("recent message ids", () => {
  it("reports a repeat and forgets the oldest beyond its capacity", () => {
    const ids = new RecentIds(2)
    expect([ids.add("a"), ids.add("a"), ids.add("b"), ids.add("c"), ids.add("a")]).toEqual([
      true,
      false,
      true,
      true,
      true,
    ])
  })
})
