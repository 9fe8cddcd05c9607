import { SECOND_FAMILY_TIMING } from "@tunnelwire/protocol"

/**
 * A serverless runner: no runner connects by itself; when actors need one, the gateway asks the
 * endpoint to start one (`GET <url>/start`), as Rivet's engine does for a serverless runner config.
 */
export interface ServerlessRunnerConfig {
  /** The runner name actors ask for (`runnerName`), sent as `x-rivet-runner-name`. */
  readonly runnerName: string
  /** The endpoint's base URL; the gateway requests `<url>/start`. */
  readonly url: string
  /** Default `default`. */
  readonly namespace?: string
  /** Extra request headers (the engine's runner config `headers`). */
  readonly headers?: Readonly<Record<string, string>>
  /** Sent as `x-rivet-total-slots`. Default 100. */
  readonly slotsPerRunner?: number
  /**
   * How long one `/start` request lives. The drain starts `drainGracePeriodMs` before its end, so
   * the runner is closed when it ends. Default 300 s.
   */
  readonly requestLifespanMs?: number
  /** Told to v6+ runners in `ToClientInit`, and waited between a drain and the close. Default 10 s. */
  readonly drainGracePeriodMs?: number
  /** Requests of this config running at once, at most. Default 10. */
  readonly maxRunners?: number
  /** How long the endpoint has to answer and send its init event. Default 10 s. */
  readonly startTimeoutMs?: number
}

export type ResolvedServerlessConfig = Required<ServerlessRunnerConfig>

/** Checks a config and fills in the defaults; throws `RangeError` naming the bad field. */
export function resolveServerlessConfig(config: ServerlessRunnerConfig): ResolvedServerlessConfig {
  if (typeof config.runnerName !== "string" || config.runnerName === "")
    throw new RangeError("serverless runnerName must be a non-empty string")
  let url: URL
  try {
    url = new URL(config.url)
  } catch {
    throw new RangeError(`serverless url ${JSON.stringify(config.url)} is not a URL`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new RangeError(`serverless url must be http or https, got ${url.protocol}`)
  const namespace = config.namespace ?? "default"
  if (typeof namespace !== "string" || namespace === "")
    throw new RangeError("serverless namespace must be a non-empty string")
  return {
    runnerName: config.runnerName,
    url: config.url,
    namespace,
    headers: checkedHeaders(config.headers ?? {}),
    slotsPerRunner: positive("slotsPerRunner", config.slotsPerRunner ?? 100),
    requestLifespanMs: positive("requestLifespanMs", config.requestLifespanMs ?? 300_000),
    drainGracePeriodMs: nonNegative(
      "drainGracePeriodMs",
      config.drainGracePeriodMs ?? SECOND_FAMILY_TIMING.serverlessDrainGracePeriodMs,
    ),
    maxRunners: positive("maxRunners", config.maxRunners ?? 10),
    startTimeoutMs: positive("startTimeoutMs", config.startTimeoutMs ?? 10_000),
  }
}

/** The `/start` URL of a config: the engine trims trailing slashes before appending. */
export function startUrl(config: ResolvedServerlessConfig): string {
  return `${config.url.replace(/\/+$/, "")}/start`
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const UNSENDABLE_VALUE = /[\r\n\0]/

/** Headers HTTP/1.1 can carry, or a `RangeError` naming the first one it cannot. */
function checkedHeaders(headers: unknown): Record<string, string> {
  if (typeof headers !== "object" || headers === null || Array.isArray(headers))
    throw new RangeError("serverless headers must be an object of strings")
  const checked: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name))
      throw new RangeError(`serverless header name ${JSON.stringify(name)} is not a token`)
    if (typeof value !== "string" || UNSENDABLE_VALUE.test(value))
      throw new RangeError(`serverless header ${name} must be a string without CR, LF or NUL`)
    checked[name] = value
  }
  return checked
}

function positive(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`serverless ${field} must be a positive integer, got ${value}`)
  return value
}

function nonNegative(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`serverless ${field} must be a non-negative integer, got ${value}`)
  return value
}
