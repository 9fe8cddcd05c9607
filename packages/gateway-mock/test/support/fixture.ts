// One gateway per test, its tap recorded, and every runner and client closed afterwards.
import { afterEach, beforeEach } from "vitest"
import { type Gateway, type GatewayOptions, startGateway, type TapEvent } from "../../src/index.js"
import { gatewaySocketUrl, TestClient } from "./client.js"
import { RawRunner, type RawRunnerOptions } from "./raw-runner.js"

export interface Fixture {
  readonly gateway: Gateway
  readonly events: TapEvent[]
  runner(options: Omit<RawRunnerOptions, "url">): Promise<RawRunner>
  client(actorId: string, path?: string): TestClient
  /** Tap events of one type, narrowed. */
  tapped<T extends TapEvent["type"]>(type: T): Extract<TapEvent, { type: T }>[]
}

export function useGateway(options: GatewayOptions = {}): () => Fixture {
  let fixture: Fixture | undefined
  const runners: RawRunner[] = []
  const clients: TestClient[] = []
  beforeEach(async () => {
    const gateway = await startGateway({ port: 0, ...options })
    const events: TapEvent[] = []
    gateway.tap.subscribe((event) => events.push(event))
    fixture = {
      gateway,
      events,
      async runner(runnerOptions) {
        const runner = new RawRunner({ url: gateway.url, ...runnerOptions })
        runners.push(runner)
        return runner.start()
      },
      client(actorId, path) {
        const client = new TestClient(gatewaySocketUrl(gateway.url, actorId, path))
        clients.push(client)
        return client
      },
      tapped: <T extends TapEvent["type"]>(type: T) =>
        events.filter((event): event is Extract<TapEvent, { type: T }> => event.type === type),
    }
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate()
    for (const runner of runners.splice(0)) runner.kill()
    await fixture?.gateway.stop()
    fixture = undefined
  })
  return () => {
    if (fixture === undefined) throw new Error("useGateway: no gateway outside a test")
    return fixture
  }
}
