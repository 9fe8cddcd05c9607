import { EventEmitter } from "node:events"
import type { Duplex } from "node:stream"
import type { latest } from "@tunnelwire/protocol/pinned/v3"
import { describe, expect, it } from "vitest"
import { EventLog } from "../src/event-log.js"
import { createMemoryHibernationStore } from "../src/index.js"
import { RecentIds } from "../src/tunnel/recent-ids.js"
import { batchWritesPerTick } from "../src/write-batching.js"

const intent: latest.Event = {
  tag: "EventActorIntent",
  val: { actorId: "a", generation: 0, intent: { tag: "ActorIntentSleep", val: null } },
}

describe("the event log, fresh", () => {
  it("holds nothing and continues after an acknowledgement of index 0", () => {
    const log = new EventLog()
    expect(log.unacknowledged).toEqual([])
    log.acknowledge(0n)
    expect(log.append(intent).index).toBe(1n)
  })
})

describe("recent message ids", () => {
  it("remember exactly their capacity", () => {
    const ids = new RecentIds(2)
    ids.add("a")
    ids.add("b")
    expect(ids.add("a")).toBe(false)
    expect(ids.add("b")).toBe(false)
  })
})

describe("the memory hibernation store", () => {
  it("deletes for an actor it never saw without failing", async () => {
    const store = createMemoryHibernationStore()
    await expect(store.deleteHibernating("nobody", "00")).resolves.toBeUndefined()
    expect(await store.loadHibernating("nobody")).toEqual([])
  })
})

describe("write batching", () => {
  it("corks once per tick however many writes, and uncorks on the next tick", async () => {
    const calls: string[] = []
    const socket = new EventEmitter() as EventEmitter & { cork(): void; uncork(): void }
    socket.cork = () => calls.push("cork")
    socket.uncork = () => calls.push("uncork")
    const beforeWrite = batchWritesPerTick(socket as unknown as Duplex)
    beforeWrite()
    beforeWrite()
    beforeWrite()
    expect(calls).toEqual(["cork"])
    await new Promise((resolve) => process.nextTick(resolve))
    expect(calls).toEqual(["cork", "uncork"])
    beforeWrite()
    expect(calls).toEqual(["cork", "uncork", "cork"])
  })
})
