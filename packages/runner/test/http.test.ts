import { capabilities } from "@tunnelwire/protocol"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import type { Runner, RunnerHandlers } from "../src/index.js"
import { FakeGateway } from "./support/fake-gateway.js"
import { deferred, onWire, testRunner, versions, wire } from "./support/harness.js"

const encode = (text: string) => new TextEncoder().encode(text)
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe.each(versions)("tunneled HTTP over v%i", (version) => {
  let gateway: FakeGateway
  let runner: Runner | undefined

  beforeEach(async () => {
    gateway = await FakeGateway.start()
  })

  afterEach(async () => {
    await runner?.shutdown()
    runner = undefined
    await gateway.close()
  })

  async function startWith(fetch: RunnerHandlers["fetch"], ackTimeoutMs?: number): Promise<void> {
    ;({ runner } = testRunner(gateway, version, {
      handlers: { fetch },
      ...(ackTimeoutMs === undefined ? {} : { ackTimeoutMs }),
    }))
    await runner.start()
    await gateway.startActor("actor-a")
  }

  it("answers a request with a complete body in one ResponseStart", async () => {
    await startWith(async (actorId, request) => {
      const url = new URL(request.url)
      return new Response(`${actorId} ${request.method} ${url.pathname}${url.search}`, {
        status: 201,
        headers: { "x-served-by": "runner" },
      })
    })
    const response = await gateway.request("actor-a", { path: "/hello?x=1" })
    expect(response.status).toBe(201)
    expect(response.streamed).toBe(false)
    expect(response.headers.get("x-served-by")).toBe("runner")
    expect(decode(response.body)).toBe("actor-a GET /hello?x=1")
    expect(gateway.tunnelFrom(response.requestId).map(wire)).toEqual(
      onWire(version, ["TunnelAck", "ResponseStart 201 stream=false"]),
    )
  })

  it("hands the handler a buffered request body and headers", async () => {
    await startWith(async (_actorId, request) => {
      return new Response(`${request.headers.get("content-type")}:${await request.text()}`)
    })
    const response = await gateway.request("actor-a", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: encode("payload"),
    })
    expect(decode(response.body)).toBe("text/plain:payload")
  })

  it("streams a request body from ToClientRequestChunks", async () => {
    await startWith(async (_actorId, request) => new Response(`got ${await request.text()}`))
    const response = await gateway.request("actor-a", {
      method: "PUT",
      chunks: [encode("ab"), encode("cd"), encode("ef")],
    })
    expect(decode(response.body)).toBe("got abcdef")
  })

  it("streams a response that is still being produced", async () => {
    const more = deferred()
    await startWith(async () => {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encode("one"))
          await more.promise
          controller.enqueue(encode("two"))
          controller.close()
        },
      })
      return new Response(body)
    })
    const pending = gateway.request("actor-a")
    await gateway.waitFor(() =>
      gateway
        .received()
        .some(
          (m) =>
            m.tag === "ToServerTunnelMessage" && m.val.messageKind.tag === "ToServerResponseChunk",
        ),
    )
    more.resolve()
    const response = await pending
    expect(response.streamed).toBe(true)
    expect(decode(response.body)).toBe("onetwo")
    expect(gateway.tunnelFrom(response.requestId).map(wire)).toEqual(
      onWire(version, [
        "TunnelAck",
        "ResponseStart 200 stream=true",
        "ResponseChunk 3B finish=false",
        "ResponseChunk 3B finish=false",
        "ResponseChunk 0B finish=true",
      ]),
    )
  })

  it("streams a complete body larger than the inline limit", async () => {
    const big = new Uint8Array(200 * 1024).map((_, i) => i % 251)
    await startWith(async () => new Response(big))
    const response = await gateway.request("actor-a")
    expect(response.streamed).toBe(true)
    expect(response.body.byteLength).toBe(big.byteLength)
    expect(Buffer.compare(response.body, big)).toBe(0)
  })

  it("aborts the handler's request when the gateway aborts, sending nothing back", async () => {
    const aborted = deferred()
    await startWith(async (_actorId, request) => {
      request.signal.addEventListener("abort", () => aborted.resolve())
      return new Response(new ReadableStream({ start: (c) => c.enqueue(encode("partial")) }))
    })
    void gateway.request("actor-a")
    const start = await gateway.waitFor(() =>
      gateway
        .received()
        .find(
          (m) =>
            m.tag === "ToServerTunnelMessage" && m.val.messageKind.tag === "ToServerResponseStart",
        ),
    )
    if (start.tag !== "ToServerTunnelMessage") throw new Error("unreachable")
    const requestId = start.val.requestId
    // The response start and its first chunk, after the TunnelAck on the versions that have one.
    const expected = onWire(version, ["TunnelAck", "start", "chunk"]).length
    await gateway.waitFor(() => gateway.tunnelFrom(requestId).length === expected)
    const since = gateway.frames.length
    gateway.sendTunnel(requestId, { tag: "ToClientRequestAbort", val: null })
    await aborted.promise
    await gateway.barrier()
    expect(gateway.tunnelFrom(requestId, since).map(wire)).toEqual(onWire(version, ["TunnelAck"]))
  })

  it("answers 500 when the handler throws", async () => {
    await startWith(async () => {
      throw new Error("boom")
    })
    const response = await gateway.request("actor-a")
    expect(response.status).toBe(500)
  })

  it("answers 404 without a fetch handler", async () => {
    await startWith(undefined)
    const response = await gateway.request("actor-a")
    expect(response.status).toBe(404)
  })

  it("answers 503 for an actor it does not run", async () => {
    await startWith(async () => new Response("unreachable"))
    const response = await gateway.request("actor-elsewhere")
    expect(response.status).toBe(503)
  })

  it.runIf(capabilities(version).tunnelAck)(
    "ack timeout: aborts a streaming response the gateway stopped acknowledging (v1–v3 only: TunnelAck, which v4+ does not have)",
    async () => {
      const aborted = deferred()
      await startWith(async (_actorId, request) => {
        request.signal.addEventListener("abort", () => aborted.resolve())
        return new Response(new ReadableStream({ start: (c) => c.enqueue(encode("slow")) }))
      }, 80)
      gateway.ackTunnel = false
      void gateway.request("actor-a")
      await aborted.promise
      gateway.ackTunnel = true
      await gateway.barrier()
      const kinds = gateway
        .received()
        .flatMap((m) =>
          m.tag === "ToServerTunnelMessage" && m.val.messageKind.tag !== "TunnelAck"
            ? [wire(m.val.messageKind)]
            : [],
        )
      expect(kinds.slice(-3)).toEqual([
        "ResponseStart 200 stream=true",
        "ResponseChunk 4B finish=false",
        "ResponseAbort",
      ])
    },
  )
})
