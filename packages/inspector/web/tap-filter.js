// @ts-check
// Which tap events to show: the filter syntax of `inspect tail` and of the inspector page, parsed
// and matched here and nowhere else. Plain, dependency-free ESM: the inspector's server serves it
// to the page as is, and the CLI imports it (its types are in tap-filter.d.ts).

/** @typedef {import("@tunnelwire/gateway-mock").TapEvent} TapEvent */
/**
 * @typedef {object} TapFilter
 * An event must match every axis that lists something, and any one value of that axis.
 * @property {readonly string[]} runners   runner id, key or name
 * @property {readonly string[]} actors    actor id, or a prefix of it
 * @property {readonly string[]} requests  request id hex, or a prefix of it
 * @property {readonly string[]} kinds     see {@link matchesKind}
 * @property {readonly number[]} versions  protocol version the runner speaks
 * @property {readonly string[]} faults    a fault whose message contains this; `*` for any fault
 * @property {readonly string[]} text      words, each of which the event's text must contain
 */
/**
 * @typedef {object} RunnerFacts
 * @property {string} runnerKey
 * @property {string | null} runnerName
 * @property {number | null} version
 */

/** The filter keys, as written in a query (`kind:socket`) and as `inspect tail` options. */
export const FILTER_KEYS = /** @type {const} */ ([
  "runner",
  "actor",
  "request",
  "kind",
  "version",
  "fault",
])

/** Event types, usable as kinds: `kind:socket` matches every socket event. */
export const EVENT_TYPES = /** @type {const} */ ([
  "frame",
  "runner",
  "actor",
  "socket",
  "request",
  "fault",
])

/** Query text that is not a filter: an unknown version, an empty value, an open quote. */
export class FilterError extends Error {
  /** @override */
  name = "FilterError"
}

/** @returns {TapFilter} */
export function emptyFilter() {
  return { runners: [], actors: [], requests: [], kinds: [], versions: [], faults: [], text: [] }
}

/**
 * Reads a query: `key:value` terms (`runner:`, `actor:`, `request:`, `kind:`, `version:`,
 * `fault:`) and free words. Values may be comma-separated; double quotes keep spaces
 * (`fault:"no runner"`, `"two words"`). Throws {@link FilterError}.
 * @param {string} query
 * @returns {TapFilter}
 */
export function parseFilter(query) {
  const filter = {
    runners: /** @type {string[]} */ ([]),
    actors: /** @type {string[]} */ ([]),
    requests: /** @type {string[]} */ ([]),
    kinds: /** @type {string[]} */ ([]),
    versions: /** @type {number[]} */ ([]),
    faults: /** @type {string[]} */ ([]),
    text: /** @type {string[]} */ ([]),
  }
  for (const word of words(query)) {
    const colon = word.indexOf(":")
    const key = colon === -1 ? "" : word.slice(0, colon).toLowerCase()
    if (!(/** @type {readonly string[]} */ (FILTER_KEYS).includes(key))) {
      filter.text.push(unquote(word).toLowerCase())
      continue
    }
    const values = unquote(word.slice(colon + 1))
      .split(",")
      .map((value) => value.trim())
      .filter((value) => value !== "")
    if (values.length === 0) throw new FilterError(`${key}: needs a value, as in ${example(key)}`)
    switch (key) {
      case "runner":
        filter.runners.push(...values)
        break
      case "actor":
        filter.actors.push(...values.map((value) => value.toLowerCase()))
        break
      case "request":
        filter.requests.push(...values.map((value) => value.toLowerCase()))
        break
      case "kind":
        filter.kinds.push(...values)
        break
      case "version":
        for (const value of values) {
          const version = Number(value.replace(/^v/i, ""))
          if (!Number.isInteger(version) || version < 1) {
            throw new FilterError(`version:${value} is not a protocol version (try version:3)`)
          }
          filter.versions.push(version)
        }
        break
      case "fault":
        filter.faults.push(...values.map((value) => value.toLowerCase()))
        break
    }
  }
  return filter
}

/**
 * One term of a query, quoted when the value needs it: what `inspect tail --kind x` adds to
 * its query, so options and query text go through the same parser.
 * @param {(typeof FILTER_KEYS)[number] | "text"} key
 * @param {string} value
 */
export function filterTerm(key, value) {
  const quoted = /[\s"]/.test(value) ? `"${value.replaceAll('"', "")}"` : value
  return key === "text" ? quoted : `${key}:${quoted}`
}

/** @param {TapFilter} filter */
export function isEmptyFilter(filter) {
  return Object.values(filter).every((values) => values.length === 0)
}

/**
 * @param {TapEvent} event
 * @param {TapFilter} filter
 * @param {TapContext} context  what earlier events said (call `context.observe` on every event first)
 */
export function matchesFilter(event, filter, context) {
  return (
    matchesRunner(event, filter.runners, context) &&
    matchesActor(event, filter.actors, context) &&
    matchesRequest(event, filter.requests) &&
    matchesKind(event, filter.kinds) &&
    matchesVersion(event, filter.versions, context) &&
    matchesFault(event, filter.faults) &&
    matchesText(event, filter.text)
  )
}

/**
 * The kind an event is filtered and shown by: a frame's innermost message kind
 * (`ToClientWebSocketMessage`), or `type.event` for the gateway's own events (`socket.hibernate`).
 * @param {TapEvent} event
 * @returns {string}
 */
export function kindOf(event) {
  switch (event.type) {
    case "frame":
      return event.kind
    case "fault":
      return "fault"
    default:
      return `${event.type}.${event.event}`
  }
}

/**
 * The tunnel request an event concerns, if any.
 * @param {TapEvent} event
 * @returns {string | null}
 */
export function requestIdOf(event) {
  return event.type === "runner" || event.type === "actor" ? null : event.requestId
}

/**
 * What earlier events said about runners and requests, so a later event can be shown and
 * filtered by facts it does not carry itself: a frame names its runner by id only, a socket's
 * close does not say which runner carried it, a socket event does not say which protocol
 * version it spoke.
 */
export class TapContext {
  /** @type {Map<string, RunnerFacts>} */
  #runners = new Map()
  /** @type {Map<string, string>} */
  #actorOfRequest = new Map()
  /** @type {Map<string, string>} */
  #runnerOfRequest = new Map()

  /**
   * Learns from `event`; call it for every event in order, shown or not.
   * @param {TapEvent} event
   */
  observe(event) {
    switch (event.type) {
      case "runner":
        if (event.runnerId !== null) {
          this.#runners.set(event.runnerId, {
            runnerKey: event.runnerKey,
            runnerName: event.runnerName,
            version: event.version,
          })
        }
        return
      case "frame":
        if (!this.#runners.has(event.runnerId) || event.kind === "ToServerInit") {
          this.#runners.set(event.runnerId, {
            runnerKey: event.runnerKey,
            runnerName: event.kind === "ToServerInit" ? initName(event.text) : null,
            version: event.version,
          })
        }
        if (event.requestId !== null) {
          this.#runnerOfRequest.set(event.requestId, event.runnerId)
          if (event.actorId != null) this.#actorOfRequest.set(event.requestId, event.actorId)
        }
        return
      case "socket":
        if (event.runnerId !== null) this.#runnerOfRequest.set(event.requestId, event.runnerId)
        this.#actorOfRequest.set(event.requestId, event.actorId)
        return
      case "request":
        this.#actorOfRequest.set(event.requestId, event.actorId)
        return
      default:
        return
    }
  }

  /**
   * The runner an event concerns: its own, or the one that carried its request.
   * @param {TapEvent} event
   * @returns {string | null}
   */
  runnerIdOf(event) {
    const own = event.type === "request" ? null : event.runnerId
    return own ?? this.#runnerOfRequest.get(requestIdOf(event) ?? "") ?? null
  }

  /**
   * @param {string | null} runnerId
   * @returns {RunnerFacts | undefined}
   */
  runner(runnerId) {
    return runnerId === null ? undefined : this.#runners.get(runnerId)
  }

  /**
   * @param {string | null} requestId
   * @returns {string | undefined}
   */
  actorOfRequest(requestId) {
    return requestId === null ? undefined : this.#actorOfRequest.get(requestId)
  }

  /**
   * The actor an event concerns, if it is known.
   * @param {TapEvent} event
   * @returns {string | null}
   */
  actorIdOf(event) {
    switch (event.type) {
      case "actor":
      case "socket":
      case "request":
        return event.actorId
      case "frame":
        return event.actorId ?? this.actorOfRequest(event.requestId) ?? null
      default:
        return null
    }
  }

  /**
   * The protocol version of the runner an event concerns.
   * @param {TapEvent} event
   * @returns {number | null}
   */
  versionOf(event) {
    if (event.type === "runner") return event.version
    if (event.type === "frame") return event.version
    return this.runner(this.runnerIdOf(event))?.version ?? null
  }
}

/**
 * The text free words are looked for in: a frame's stringified message, else the event's JSON.
 * @param {TapEvent} event
 */
export function searchableText(event) {
  return (
    event.type === "frame" ? `${event.kind} ${event.text}` : JSON.stringify(event)
  ).toLowerCase()
}

/** @param {TapEvent} event @param {readonly string[]} runners @param {TapContext} context */
function matchesRunner(event, runners, context) {
  if (runners.length === 0) return true
  const runnerId = context.runnerIdOf(event)
  const facts = context.runner(runnerId)
  const names = [runnerId, facts?.runnerKey, facts?.runnerName]
  if (event.type === "runner") names.push(event.runnerKey, event.runnerName)
  return runners.some((runner) => names.includes(runner))
}

/** @param {TapEvent} event @param {readonly string[]} actors @param {TapContext} context */
function matchesActor(event, actors, context) {
  if (actors.length === 0) return true
  const actorId = context.actorIdOf(event)
  if (actorId !== null) return actors.some((actor) => actorId.toLowerCase().startsWith(actor))
  // A frame from a gateway that does not name actors names them only in the message.
  return (
    event.type === "frame" &&
    actors.some((actor) => event.text.toLowerCase().includes(`actorid: "${actor}`))
  )
}

/** @param {TapEvent} event @param {readonly string[]} requests */
function matchesRequest(event, requests) {
  if (requests.length === 0) return true
  const requestId = requestIdOf(event)
  if (requestId === null) return false
  return requests.some((request) => requestId.startsWith(request))
}

/**
 * A kind is a message kind (`ToClientWebSocketMessage`), the same without its direction
 * (`WebSocketMessage` matches both), a gateway event (`socket.hibernate`) or an event type
 * (`socket`, `frame`); case does not matter.
 * @param {TapEvent} event
 * @param {readonly string[]} kinds
 */
function matchesKind(event, kinds) {
  if (kinds.length === 0) return true
  const eventKinds = kindOf(event).toLowerCase().split("+")
  return kinds.some((wanted) => {
    const kind = wanted.toLowerCase()
    if (event.type === kind) return true
    return eventKinds.some((own) => own === kind || own.replace(/^to(client|server)/, "") === kind)
  })
}

/** @param {TapEvent} event @param {readonly number[]} versions @param {TapContext} context */
function matchesVersion(event, versions, context) {
  if (versions.length === 0) return true
  const version = context.versionOf(event)
  return version !== null && versions.includes(version)
}

/** @param {TapEvent} event @param {readonly string[]} faults */
function matchesFault(event, faults) {
  if (faults.length === 0) return true
  if (event.type !== "fault") return false
  const message = event.message.toLowerCase()
  return faults.some((fault) => fault === "*" || message.includes(fault))
}

/** @param {TapEvent} event @param {readonly string[]} text */
function matchesText(event, text) {
  if (text.length === 0) return true
  const searched = searchableText(event)
  return text.every((word) => searched.includes(word))
}

/**
 * Splits a query at spaces outside double quotes.
 * @param {string} query
 */
function words(query) {
  /** @type {string[]} */
  const found = []
  let current = ""
  let quoted = false
  for (const char of query) {
    if (char === '"') quoted = !quoted
    if (/\s/.test(char) && !quoted) {
      if (current !== "") found.push(current)
      current = ""
    } else current += char
  }
  if (quoted) throw new FilterError(`a quote is not closed in: ${query}`)
  if (current !== "") found.push(current)
  return found
}

/** @param {string} text */
function unquote(text) {
  return text.replaceAll('"', "")
}

/** @param {string} key */
function example(key) {
  return {
    runner: "runner:chat-runner",
    actor: "actor:15dbaf56",
    request: "request:32b62b1b",
    kind: "kind:socket",
    version: "version:3",
    fault: "fault:*",
  }[key]
}

/**
 * The runner's name from a stringified ToServerInit: it is told before the `connected` event.
 * @param {string} text
 * @returns {string | null}
 */
function initName(text) {
  const quoted = /^ToServerInit\{name: ("(?:[^"\\]|\\.)*")/.exec(text)?.[1]
  if (quoted === undefined) return null
  try {
    return /** @type {string} */ (JSON.parse(quoted))
  } catch {
    return null
  }
}
