import type { v7 } from "@tunnelwire/protocol"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { KvClient, KvError } from "../src/kv.js"

const bytes = (text: string) => new TextEncoder().encode(text)
const buffer = (text: string) => bytes(text).buffer
const text = (data: ArrayBuffer | Uint8Array) => Buffer.from(data as ArrayBuffer).toString()

function client(version = 7, timeoutMs = 1_000) {
  const sent: v7.ToServerKvRequest[] = []
  let connected = true
  const kv = new KvClient({
    timeoutMs,
    version,
    send: (request) => {
      if (connected) sent.push(request)
      return connected
    },
  })
  const answer = (data: v7.KvResponseData, requestId = sent.at(-1)!.requestId) =>
    kv.response({ requestId, data })
  const setConnected = (value: boolean) => {
    connected = value
  }
  return { kv, sent, answer, setConnected }
}

const none: v7.KvResponseData = { tag: "KvDeleteResponse", val: null }

describe("the runner's KV client", () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it("sends each operation as its request, numbered from 0, for the actor", async () => {
    const { kv, sent, answer } = client()
    const actor = kv.forActor("actor-a")
    const put = actor.put([[bytes("k"), bytes("v")]])
    answer({ tag: "KvPutResponse", val: null })
    await put
    const del = actor.delete([bytes("k")])
    answer(none)
    await del
    const range = actor.deleteRange(bytes("a"), bytes("b"))
    answer(none)
    await range
    const drop = actor.drop()
    answer({ tag: "KvDropResponse", val: null })
    await drop
    expect(sent.map((r) => [r.actorId, r.requestId, r.data.tag])).toEqual([
      ["actor-a", 0, "KvPutRequest"],
      ["actor-a", 1, "KvDeleteRequest"],
      ["actor-a", 2, "KvDeleteRangeRequest"],
      ["actor-a", 3, "KvDropRequest"],
    ])
    const [putData, delData, rangeData] = sent.map((r) => r.data)
    expect(putData?.tag === "KvPutRequest" && putData.val.keys.map(text)).toEqual(["k"])
    expect(putData?.tag === "KvPutRequest" && putData.val.values.map(text)).toEqual(["v"])
    expect(delData?.tag === "KvDeleteRequest" && delData.val.keys.map(text)).toEqual(["k"])
    expect(
      rangeData?.tag === "KvDeleteRangeRequest" && [
        text(rangeData.val.start),
        text(rangeData.val.end),
      ],
    ).toEqual(["a", "b"])
  })

  it("answers get in the order asked, with null for keys the gateway did not return", async () => {
    const { kv, sent, answer } = client()
    const get = kv.forActor("a").get([bytes("x"), bytes("y"), bytes("z")])
    const request = sent[0]!.data
    expect(request.tag === "KvGetRequest" && request.val.keys.map(text)).toEqual(["x", "y", "z"])
    answer({
      tag: "KvGetResponse",
      val: {
        keys: [buffer("z"), buffer("x")],
        values: [buffer("vz"), buffer("vx")],
        metadata: [],
      },
    })
    expect((await get).map((v) => (v === null ? null : text(v)))).toEqual(["vx", null, "vz"])
    // A key returned without its value counts as missing too.
    const short = kv.forActor("a").get([bytes("x")])
    answer({ tag: "KvGetResponse", val: { keys: [buffer("x")], values: [], metadata: [] } })
    expect(await short).toEqual([null])
  })

  it("lists with each query's options and maps entries with their metadata", async () => {
    const { kv, sent, answer } = client()
    const actor = kv.forActor("a")
    const version = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 7]).buffer
    const listed = actor.listRange(bytes("a"), bytes("c"), {
      exclusive: true,
      reverse: true,
      limit: 2,
    })
    answer({
      tag: "KvListResponse",
      val: {
        keys: [buffer("b")],
        values: [buffer("vb")],
        metadata: [{ version, updateTs: 1_700n }],
      },
    })
    const [entry] = await listed
    expect(text(entry!.key)).toBe("b")
    expect(text(entry!.value)).toBe("vb")
    expect(entry!.metadata).toEqual({ version: new Uint8Array(version), createTs: 1_700 })
    const empty = { tag: "KvListResponse", val: { keys: [], values: [], metadata: [] } } as const
    const all = actor.listAll()
    answer(empty)
    await all
    const prefix = actor.listPrefix(bytes("p"), { reverse: false })
    answer(empty)
    await prefix
    const range = actor.listRange(bytes("a"), bytes("c"))
    answer(empty)
    await range
    const queries = sent.map((r) => {
      if (r.data.tag !== "KvListRequest") throw new Error(r.data.tag)
      const { query, reverse, limit } = r.data.val
      const shown =
        query.tag === "KvListAllQuery"
          ? "all"
          : query.tag === "KvListPrefixQuery"
            ? `prefix ${text(query.val.key)}`
            : query.tag === "KvListRangeQuery"
              ? `range ${text(query.val.start)}..${text(query.val.end)} exclusive ${query.val.exclusive}`
              : "unknown"
      return { shown, reverse, limit }
    })
    expect(queries).toEqual([
      { shown: "range a..c exclusive true", reverse: true, limit: 2n },
      { shown: "all", reverse: null, limit: null },
      { shown: "prefix p", reverse: false, limit: null },
      { shown: "range a..c exclusive false", reverse: null, limit: null },
    ])
  })

  it("fills entries the response leaves short with empty values and metadata", async () => {
    const { kv, answer } = client()
    const listed = kv.forActor("a").listAll()
    answer({ tag: "KvListResponse", val: { keys: [buffer("k")], values: [], metadata: [] } })
    const [entry] = await listed
    expect(entry!.value).toEqual(new Uint8Array(0))
    expect(entry!.metadata).toEqual({ version: new Uint8Array(0), createTs: 0 })
  })

  it("rejects with the gateway's error message, and with an unexpected response's tag", async () => {
    const { kv, answer } = client()
    const actor = kv.forActor("a")
    const put = actor.put([[bytes("k"), bytes("v")]])
    answer({ tag: "KvErrorResponse", val: { message: "too big" } })
    await expect(put).rejects.toEqual(new KvError("too big"))
    const checks: Array<[() => Promise<unknown>, v7.KvResponseData]> = [
      [() => actor.get([bytes("k")]), none],
      [() => actor.listAll(), none],
      [() => actor.put([]), none],
      [() => actor.delete([]), { tag: "KvPutResponse", val: null }],
      [() => actor.deleteRange(bytes("a"), bytes("b")), { tag: "KvDropResponse", val: null }],
      [() => actor.drop(), none],
    ]
    for (const [operation, wrong] of checks) {
      const pending = operation()
      answer(wrong)
      await expect(pending).rejects.toEqual(new KvError(`unexpected KV response ${wrong.tag}`))
    }
  })

  it("refuses delete-range before v7 without sending anything", async () => {
    const { kv, sent } = client(6)
    await expect(kv.forActor("a").deleteRange(bytes("a"), bytes("b"))).rejects.toEqual(
      new KvError("protocol v6 has no KV delete-range (v7+)"),
    )
    expect(sent).toEqual([])
  })

  it("times a request out after the timeout, and ignores its late answer", async () => {
    const { kv, answer } = client(7, 500)
    const drop = kv.forActor("a").drop()
    const outcome = drop.then(
      () => "resolved",
      (error: unknown) => String(error),
    )
    await vi.advanceTimersByTimeAsync(499)
    answer({ tag: "KvDropResponse", val: null }, 99)
    await vi.advanceTimersByTimeAsync(1)
    expect(await outcome).toBe("KvError: KV KvDropRequest timed out after 500 ms")
    expect(() => answer({ tag: "KvDropResponse", val: null }, 0)).not.toThrow()
  })

  it("does not time out a request that was answered", async () => {
    const { kv, answer } = client(7, 500)
    const drop = kv.forActor("a").drop()
    answer({ tag: "KvDropResponse", val: null })
    await drop
    expect(vi.getTimerCount()).toBe(0)
  })

  it("sends every unanswered request again after a reconnect, and only those", async () => {
    const { kv, sent, answer, setConnected } = client()
    const actor = kv.forActor("a")
    const first = actor.drop()
    answer({ tag: "KvDropResponse", val: null })
    await first
    setConnected(false)
    const second = actor.delete([bytes("k")])
    const third = actor.drop()
    setConnected(true)
    kv.resend()
    expect(sent.map((r) => r.requestId)).toEqual([0, 1, 2])
    answer(none, 1)
    answer({ tag: "KvDropResponse", val: null }, 2)
    await Promise.all([second, third])
  })

  it("rejects every waiting request with the error given, and clears their timers", async () => {
    const { kv, sent } = client()
    const actor = kv.forActor("a")
    const pending = [actor.drop(), actor.listAll()]
    const lost = new KvError("runner stopped")
    const asked: string[] = []
    kv.rejectAll((request) => {
      asked.push(`${request.actorId} ${request.operation}`)
      return lost
    })
    for (const p of pending) await expect(p).rejects.toBe(lost)
    expect(asked).toHaveLength(2)
    expect(vi.getTimerCount()).toBe(0)
    kv.resend()
    expect(sent).toHaveLength(2)
  })
})
