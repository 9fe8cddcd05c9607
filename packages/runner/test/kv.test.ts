import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { type ActorKv, KvError, type Runner } from "../src/index.js"
import { FakeGateway } from "./support/fake-gateway.js"
import { testRunner, versions } from "./support/harness.js"

const bytes = (text: string) => new TextEncoder().encode(text)
const text = (data: Uint8Array | null) => (data === null ? null : new TextDecoder().decode(data))

describe.each(versions)("actor KV over v%i", (version) => {
  let gateway: FakeGateway
  let runner: Runner
  let kv: ActorKv

  beforeEach(async () => {
    gateway = await FakeGateway.start()
    ;({ runner } = testRunner(gateway, version, { kvTimeoutMs: 2_000 }))
    await runner.start()
    await gateway.startActor("actor-a")
    kv = runner.kv("actor-a")
    await kv.put([
      [bytes("a/1"), bytes("one")],
      [bytes("a/2"), bytes("two")],
      [bytes("b/1"), bytes("three")],
    ])
  })

  afterEach(async () => {
    await runner.shutdown()
    await gateway.close()
  })

  it("gets values in the order asked, null where a key is missing", async () => {
    const values = await kv.get([bytes("b/1"), bytes("nope"), bytes("a/1")])
    expect(values.map(text)).toEqual(["three", null, "one"])
  })

  it("lists all, by prefix, by range, reversed and limited", async () => {
    const keys = (entries: Array<{ key: Uint8Array }>) => entries.map((e) => text(e.key))
    expect(keys(await kv.listAll())).toEqual(["a/1", "a/2", "b/1"])
    expect(keys(await kv.listPrefix(bytes("a/")))).toEqual(["a/1", "a/2"])
    expect(keys(await kv.listRange(bytes("a/2"), bytes("b/1")))).toEqual(["a/2", "b/1"])
    expect(keys(await kv.listRange(bytes("a/2"), bytes("b/1"), { exclusive: true }))).toEqual([
      "a/2",
    ])
    expect(keys(await kv.listAll({ reverse: true, limit: 2 }))).toEqual(["b/1", "a/2"])
    const [first] = await kv.listAll({ limit: 1 })
    expect(first?.metadata).toEqual({ version: new Uint8Array([1]), createTs: 1_700_000_000_000 })
    expect(text(first?.value ?? null)).toBe("one")
  })

  it("deletes keys and drops everything", async () => {
    await kv.delete([bytes("a/1")])
    expect((await kv.listAll()).map((e) => text(e.key))).toEqual(["a/2", "b/1"])
    await kv.drop()
    expect(await kv.listAll()).toEqual([])
  })

  it("rejects with KvError when the gateway answers with an error", async () => {
    await expect(kv.put([[bytes("forbidden"), bytes("x")]])).rejects.toThrow(
      new KvError("key forbidden"),
    )
  })

  it("rejects with KvError when no response arrives in time", async () => {
    const silent = await FakeGateway.start()
    silent.kvSilent = true
    const { runner: quick } = testRunner(silent, version, { kvTimeoutMs: 30 })
    await quick.start()
    await expect(quick.kv("actor-a").get([bytes("a/1")])).rejects.toThrow(/timed out/)
    await quick.shutdown()
    await silent.close()
  })

  it("sends a request again after a reconnect when its response never came", async () => {
    gateway.kvSilent = true
    const since = gateway.frames.length
    const pending = kv.get([bytes("a/2")])
    await gateway.nextFrom(since, (m) => m.tag === "ToServerKvRequest")
    gateway.kvSilent = false
    gateway.drop()
    expect((await pending).map(text)).toEqual(["two"])
  })

  it("rejects requests still waiting when the runner shuts down", async () => {
    gateway.kvSilent = true
    const outcome = expect(kv.get([bytes("a/1")])).rejects.toThrow(KvError)
    await runner.shutdown()
    await outcome
  })
})
