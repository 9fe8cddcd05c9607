// The gateway's admin API as the bench uses it.

export class AdminClient {
  readonly #base: string

  constructor(gatewayUrl: string) {
    this.#base = gatewayUrl
  }

  async createActor(key: string, runnerName: string): Promise<string> {
    const { actor } = await this.#call<{ actor: { actorId: string } }>("/actors", {
      name: "echo",
      key,
      runnerName,
    })
    return actor.actorId
  }

  socketUrl(actorId: string, path: string): string {
    return `${this.#base.replace("http", "ws")}/gateway/${actorId}${path}`
  }

  async actor(actorId: string): Promise<{ state: string; hibernatingSockets: number }> {
    const { actor } = await this.#call<{ actor: { state: string; hibernatingSockets: number } }>(
      `/actors/${actorId}`,
    )
    return actor
  }

  async runnerVersions(): Promise<number[]> {
    const { runners } = await this.#call<{ runners: Array<{ version: number }> }>("/runners")
    return runners.map((runner) => runner.version)
  }

  async sleep(actorId: string): Promise<void> {
    await this.#call(`/actors/${actorId}/sleep`, {})
  }

  async wake(actorId: string): Promise<void> {
    await this.#call(`/actors/${actorId}/wake`, {})
  }

  /** Polls until `done` holds for the actor. */
  async until(
    actorId: string,
    done: (actor: { state: string; hibernatingSockets: number }) => boolean,
    timeoutMs = 30_000,
  ): Promise<void> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const actor = await this.actor(actorId)
      if (done(actor)) return
      if (performance.now() > deadline)
        throw new Error(`actor ${actorId} still ${JSON.stringify(actor)} after ${timeoutMs} ms`)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  }

  async #call<T>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.#base}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`)
    return (await response.json()) as T
  }
}
