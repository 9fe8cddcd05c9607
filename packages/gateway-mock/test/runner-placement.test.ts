import { describe, expect, it } from "vitest"
import type { Actor } from "../src/actors/actor.js"
import type { RunnerConnection } from "../src/runners/runner-connection.js"
import { RunnerPool } from "../src/runners/runner-pool.js"

interface FakeRunner {
  poolKey: string
  state: string
  name: string
  totalSlots: number
  actorIds: Set<string>
  params: { namespace: string }
}

function runner(
  poolKey: string,
  load: number,
  totalSlots: number,
  extra: Partial<FakeRunner> = {},
) {
  const fake: FakeRunner = {
    poolKey,
    state: "ready",
    name: "default",
    totalSlots,
    actorIds: new Set(Array.from({ length: load }, (_, i) => `${poolKey}-${i}`)),
    params: { namespace: "default" },
    ...extra,
  }
  return fake as unknown as RunnerConnection
}

const actor = (runnerName: string | null = null, namespace = "default") =>
  ({ spec: { namespace, runnerName } }) as unknown as Actor

function pool(...runners: RunnerConnection[]): RunnerPool {
  const p = new RunnerPool()
  for (const r of runners) p.add(r)
  return p
}

describe("actor placement in the runner pool", () => {
  it("picks the least loaded runner with a free slot, the first of equals", () => {
    const [busy, idle, alsoIdle] = [runner("a", 3, 10), runner("b", 1, 10), runner("c", 1, 10)]
    expect(pool(busy, idle, alsoIdle).pick(actor())).toBe(idle)
    expect(pool(idle, busy).pick(actor())).toBe(idle)
  })

  it("never picks a runner at its slot count, and none when every runner is full", () => {
    const full = runner("a", 2, 2)
    const loaded = runner("b", 5, 6)
    expect(pool(full, loaded).pick(actor())).toBe(loaded)
    expect(pool(full, runner("c", 6, 6)).pick(actor())).toBeNull()
    expect(pool(runner("d", 0, 0)).pick(actor())).toBeNull()
  })

  it("skips runners not ready, of another namespace, or of another name than the actor asks", () => {
    const starting = runner("a", 0, 5, { state: "draining" })
    const foreign = runner("b", 0, 5, { params: { namespace: "other" } })
    const named = runner("c", 0, 5, { name: "gpu" })
    const loaded = runner("d", 4, 5)
    const p = pool(starting, foreign, named, loaded)
    expect(p.pick(actor())).toBe(named)
    expect(p.pick(actor("cpu"))).toBeNull()
    expect(p.pick(actor("gpu"))).toBe(named)
    expect(p.pick(actor(null, "other"))).toBe(foreign)
    expect(pool(starting, loaded).pick(actor())).toBe(loaded)
  })
})

describe("the runner pool", () => {
  it("keeps one live connection per runner key and hands back the one it replaces", () => {
    const p = new RunnerPool()
    const first = runner("k", 0, 1)
    const second = runner("k", 0, 1)
    expect(p.add(first)).toBeUndefined()
    expect(p.add(first)).toBeUndefined()
    expect(p.add(second)).toBe(first)
    expect(p.all()).toEqual([second])
    // The replaced connection's removal must not drop its successor.
    p.remove(first)
    expect(p.all()).toEqual([second])
    p.remove(second)
    expect(p.all()).toEqual([])
  })

  it("keeps a runner key's record across its connections, starting from no event and command 0", () => {
    const p = new RunnerPool()
    const first = runner("k", 0, 1)
    const record = p.record(first)
    expect(record).toMatchObject({ lastEventIdx: -1n, nextCommandIdx: 0n })
    record.lastEventIdx = 4n
    expect(p.record(runner("k", 0, 1))).toBe(record)
    expect(p.record(runner("other", 0, 1))).not.toBe(record)
  })
})
