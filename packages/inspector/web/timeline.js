// @ts-check
// The inspector page: a lane per runner connection, actor, WebSocket and HTTP request, with tap
// events placed left to right in the order the gateway saw them, so cause and effect line up
// across lanes. It reads the tap from the inspector server that served it (see src/ui/ui-server.ts),
// or a session file dropped on it. Filters use the same parser as `inspect tail` (tap-filter.js).

import { formatSession, parseSession } from "./session-file.js"
import {
  emptyFilter,
  FilterError,
  isEmptyFilter,
  kindOf,
  matchesFilter,
  parseFilter,
  TapContext,
} from "./tap-filter.js"

/** @typedef {import("@tunnelwire/gateway-mock").TapEvent} TapEvent */
/** @typedef {import("../src/ui/tap-relay.js").RelayMessage} RelayMessage */
/** @typedef {import("./tap-filter.js").TapFilter} TapFilter */
/**
 * @typedef {object} Marker
 * @property {number} slot
 * @property {number} index  position of the event in `state.events`
 * @property {number[]} folded  the events it stands for, its own first: a runner lane shows a
 *   burst of frames, or a run of the same frame, as one marker
 * @property {string} [repeatKey]  direction and kind of a runner lane's frame
 * @property {string} kind   what the marker means: open, message, ack, hibernate, wake, close, …
 * @property {string} style  one of the m-* classes in style.css
 * @property {string} glyph
 * @property {string} [dir]  in (to the actor) or out (from the actor)
 * @property {string} [label] shown after the marker: a close's code and reason
 */
/**
 * @typedef {object} Band
 * @property {number} from
 * @property {number | null} to    null while it lasts
 * @property {string} style        hibernating or asleep
 * @property {number} since        time it started
 * @property {number | null} until
 */
/**
 * @typedef {object} Lane
 * @property {string} id
 * @property {"runner" | "actor" | "socket" | "http" | "gateway"} group
 * @property {string} title
 * @property {string | null} actorId
 * @property {string | null} runnerId
 * @property {string | null} requestId
 * @property {string} state
 * @property {number} first  column of its first event
 * @property {number} last   column of its latest event
 * @property {number | null} end  column where it ended (closed, disconnected, destroyed)
 * @property {Marker[]} markers
 * @property {Band[]} bands
 */
/**
 * @typedef {object} RunnerFacts
 * @property {string} key
 * @property {string | null} name
 * @property {number | null} version
 */

const STEP = 22
const PAD = 20
const TICK_EVERY = 8
const CHATTER = new Set(["ToServerPing", "ToClientPong", "TunnelAck"])
const GROUPS = /** @type {const} */ ([
  ["runner", "Runner connections"],
  ["actor", "Actors"],
  ["socket", "WebSockets"],
  ["http", "HTTP requests"],
  ["gateway", "Gateway"],
])

const state = {
  /** @type {TapEvent[]} */
  events: [],
  /** Events that arrived while paused, shown on resume. @type {TapEvent[]} */
  buffered: [],
  paused: false,
  follow: true,
  /** @type {number | null} */
  selected: null,
  showChatter: false,
  /** @type {TapFilter} */
  filter: emptyFilter(),
  /** Where the events come from: the relayed tap, or a session file opened here. */
  source: "",
  /** Set once a session file is opened: the live relay is left alone from then on. */
  sessionOpened: false,
  /** Events at or before this were cleared: a reconnect replays them, they stay hidden. */
  /** @type {{ time: number, seq: number } | null} */
  clearedUpTo: null,
  /** The `seq` of the event the URL links to, selected once it arrives. @type {number | null} */
  linked: null,
  /** @type {Marker[]} markers on the page, in event order: what the arrow keys move through */
  shown: [],
  /** @type {number[]} time of each column on the page */
  times: [],
  scheduled: false,
}

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id))

/**
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {(Node | string)[]} children
 */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  node.append(...children)
  return node
}

const x = (/** @type {number} */ slot) => PAD + slot * STEP
const short = (/** @type {string | null} */ id) => (id === null ? "-" : id.slice(0, 8))

/** @param {number} time */
function clock(time) {
  const d = new Date(time)
  const p = (/** @type {number} */ n, w = 2) => String(n).padStart(w, "0")
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
}

/** @param {number} ms */
function duration(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`
}

/** @param {number | null} code @param {string | null} reason */
function closeText(code, reason) {
  return `${code ?? ""} ${reason ? `“${reason}”` : ""}`.trim()
}

/**
 * Where an event goes: its request's lane, else its actor's or its runner's.
 * @param {TapEvent} event
 * @returns {{ id: string, group: Lane["group"] }}
 */
function laneOf(event) {
  switch (event.type) {
    case "runner":
      return { id: `runner:${event.runnerId ?? `rejected-${event.seq}`}`, group: "runner" }
    case "actor":
      return { id: `actor:${event.actorId}`, group: "actor" }
    case "socket":
      return { id: `req:${event.requestId}`, group: "socket" }
    case "request":
      return { id: `req:${event.requestId}`, group: "http" }
    case "frame":
      if (event.requestId === null) return { id: `runner:${event.runnerId}`, group: "runner" }
      return {
        id: `req:${event.requestId}`,
        group: event.kind.includes("WebSocket") ? "socket" : "http",
      }
    case "fault":
      if (event.requestId !== null) return { id: `req:${event.requestId}`, group: "http" }
      if (event.runnerId !== null) return { id: `runner:${event.runnerId}`, group: "runner" }
      return { id: "gateway", group: "gateway" }
  }
}

/**
 * Lays the events that pass the filter out in lanes: the pure part of the page, rebuilt on each
 * change. Columns only move right: an event takes the current column unless its lane already
 * used it, so events of different lanes in a row share a column and the page stays narrow
 * without reordering anything. Lanes with no event left are not made at all.
 * @param {TapEvent[]} events
 * @param {boolean} showChatter
 * @param {TapFilter} filter
 */
function buildModel(events, showChatter, filter) {
  const context = new TapContext()
  /** @type {Map<string, RunnerFacts>} */
  const runners = new Map()
  /** @type {Map<string, string>} */
  const actorNames = new Map()
  /** @type {Map<string, Lane>} */
  const lanes = new Map()
  /** Every lane the events would fill without the filter: to say how many it hid. */
  const allLanes = new Set()
  /** @type {number[]} time of each column's first event */
  const times = []
  let column = 0
  let shownEvents = 0
  let chatterEvents = 0

  events.forEach((event, index) => {
    context.observe(event)
    if (event.type === "runner" && event.runnerId !== null) {
      runners.set(event.runnerId, {
        key: event.runnerKey,
        name: event.runnerName,
        version: event.version,
      })
    }
    if (event.type === "frame" && !runners.has(event.runnerId)) {
      runners.set(event.runnerId, { key: event.runnerKey, name: null, version: event.version })
    }
    if (event.type === "actor") actorNames.set(event.actorId, event.name)
    const chatter = event.type === "frame" && CHATTER.has(event.kind)
    if (chatter && !showChatter) {
      chatterEvents++
      return
    }

    const { id, group } = laneOf(event)
    allLanes.add(id)
    if (!matchesFilter(event, filter, context)) return
    shownEvents++
    let lane = lanes.get(id)
    if (lane === undefined) {
      lane = {
        id,
        group,
        title:
          event.type !== "frame"
            ? "gateway"
            : event.requestId === null
              ? `runner ${event.runnerKey}`
              : event.kind,
        actorId: null,
        runnerId: null,
        requestId: null,
        state: "",
        first: -1,
        last: -1,
        end: null,
        markers: [],
        bands: [],
      }
      lanes.set(id, lane)
    }
    // A runner lane shows one marker, not a row of identical arrows, for a run of the same frame
    // (pings and pongs count as one) and for a burst of frames no other column came between.
    const repeatKey = runnerFrameKey(event, chatter)
    if (repeatKey !== undefined) {
      const previous = lane.markers.at(-1)
      const sameRun = previous?.repeatKey === repeatKey
      const sameBurst = previous?.repeatKey !== undefined && previous.slot === column
      if (previous !== undefined && (sameRun || sameBurst)) {
        previous.folded.push(index)
        return
      }
    }
    const slot = Math.max(column, lane.last + 1)
    column = slot
    if (lane.first === -1) lane.first = slot
    lane.last = slot
    if (slot === times.length) times.push(event.time)
    const here = lane
    /** @param {Omit<Marker, "slot" | "index" | "folded">} marker */
    const mark = (marker) => here.markers.push({ slot, index, folded: [index], ...marker })
    const endBand = () => {
      const band = here.bands.at(-1)
      if (band !== undefined && band.to === null) {
        band.to = slot
        band.until = event.time
      }
    }

    switch (event.type) {
      case "runner": {
        lane.title = `runner ${event.runnerName ?? event.runnerKey}`
        lane.runnerId = event.runnerId
        lane.state = event.event
        if (event.event === "connected") {
          mark({ kind: "runner-connected", style: "m-open", glyph: "●" })
        } else {
          lane.end = slot
          const label = closeText(event.code, event.reason)
          mark({ kind: `runner-${event.event}`, style: "m-close", glyph: "■", label })
        }
        return
      }
      case "actor": {
        lane.title = `actor ${event.name}${event.key === null ? "" : ` [${event.key}]`}`
        lane.actorId = event.actorId
        lane.runnerId = event.runnerId ?? lane.runnerId
        lane.state = event.event
        if (event.event === "stopped") {
          lane.bands.push({ from: slot, to: null, style: "asleep", since: event.time, until: null })
        }
        if (event.event === "starting" || event.event === "destroyed") endBand()
        if (event.event === "destroyed") lane.end = slot
        mark({ kind: `actor-${event.event}`, ...ACTOR_LOOK[event.event] })
        return
      }
      case "socket": {
        lane.group = "socket"
        lane.title = `WS ${event.path}`
        lane.actorId = event.actorId
        lane.requestId = event.requestId
        lane.runnerId = event.runnerId ?? lane.runnerId
        if (event.event === "open") {
          lane.state = "open"
          mark({ kind: "open", style: "m-open", glyph: "●" })
        } else if (event.event === "hibernate") {
          lane.state = "hibernating"
          mark({ kind: "hibernate", style: "m-hibernate", glyph: "☾" })
          lane.bands.push({
            from: slot,
            to: null,
            style: "hibernating",
            since: event.time,
            until: null,
          })
        } else if (event.event === "wake") {
          lane.state = "open"
          endBand()
          mark({ kind: "wake", style: "m-wake", glyph: "☀" })
        } else {
          lane.state = `closed ${event.code ?? ""}`.trim()
          lane.end = slot
          endBand()
          const label = closeText(event.code, event.reason)
          mark({ kind: "close", style: "m-close", glyph: "■", label })
        }
        return
      }
      case "request": {
        lane.group = "http"
        lane.title = `${event.method} ${event.path}`
        lane.actorId = event.actorId
        lane.requestId = event.requestId
        if (event.event === "response") lane.state = String(event.status ?? "")
        if (event.event === "end" || event.event === "abort") lane.end = slot
        if (event.event === "abort") lane.state = "aborted"
        mark({ kind: `request-${event.event}`, ...REQUEST_LOOK[event.event] })
        return
      }
      case "frame": {
        lane.runnerId = event.runnerId
        if (event.requestId === null) {
          const glyph = event.direction === "toRunner" ? "↓" : "↑"
          mark(
            chatter
              ? { kind: "chatter", style: "m-chatter", glyph, repeatKey }
              : { kind: "frame", style: "m-frame", glyph, repeatKey },
          )
          return
        }
        lane.requestId = event.requestId
        mark(frameMarker(event, chatter))
        return
      }
      case "fault":
        mark({ kind: "fault", style: "m-fault", glyph: "!" })
        return
    }
  })
  return {
    lanes: [...lanes.values()],
    runners,
    actorNames,
    times,
    hiddenChatter: chatterEvents,
    filteredOut: events.length - chatterEvents - shownEvents,
    hiddenLanes: allLanes.size - lanes.size,
  }
}

/**
 * What makes runner lane frames "the same" for folding them into one marker, if it is one.
 * @param {TapEvent} event
 * @param {boolean} chatter
 */
function runnerFrameKey(event, chatter) {
  if (event.type !== "frame" || event.requestId !== null) return undefined
  return chatter ? "chatter" : `${event.direction} ${event.kind}`
}

/** @type {Record<Extract<TapEvent, { type: "actor" }>["event"], { style: string, glyph: string }>} */
const ACTOR_LOOK = {
  created: { style: "m-frame", glyph: "+" },
  starting: { style: "m-frame", glyph: "▸" },
  running: { style: "m-open", glyph: "●" },
  stopping: { style: "m-frame", glyph: "▹" },
  stopped: { style: "m-frame", glyph: "○" },
  destroyed: { style: "m-close", glyph: "×" },
}

/** @type {Record<Extract<TapEvent, { type: "request" }>["event"], { style: string, glyph: string, dir?: string }>} */
const REQUEST_LOOK = {
  start: { style: "m-open", glyph: "●" },
  response: { style: "m-message", glyph: "↑", dir: "out" },
  end: { style: "m-frame", glyph: "■" },
  abort: { style: "m-close", glyph: "✕" },
}

/**
 * @param {Extract<TapEvent, { type: "frame" }>} event
 * @param {boolean} chatter
 * @returns {Omit<Marker, "slot" | "index" | "folded">}
 */
function frameMarker(event, chatter) {
  const toRunner = event.direction === "toRunner"
  if (event.kind.endsWith("WebSocketMessage")) {
    return {
      kind: "message",
      style: "m-message",
      glyph: toRunner ? "↓" : "↑",
      dir: toRunner ? "in" : "out",
    }
  }
  if (event.kind.endsWith("WebSocketMessageAck")) return { kind: "ack", style: "m-ack", glyph: "✓" }
  if (chatter) return { kind: "chatter", style: "m-chatter", glyph: "·" }
  const glyph = event.kind.endsWith("Open")
    ? "o"
    : event.kind.endsWith("Close")
      ? "×"
      : toRunner
        ? "↓"
        : "↑"
  return { kind: "frame", style: "m-frame", glyph }
}

/** @param {ReturnType<typeof buildModel>} model @param {Lane} lane */
function laneSubtitle(model, lane) {
  const parts = []
  const facts = lane.runnerId === null ? undefined : model.runners.get(lane.runnerId)
  if (lane.group === "runner" && facts !== undefined) {
    parts.push(`key ${facts.key}`, `id ${short(lane.runnerId)}`)
  } else {
    if (lane.actorId !== null) {
      parts.push(`actor ${model.actorNames.get(lane.actorId) ?? ""} ${short(lane.actorId)}`.trim())
    }
    if (lane.requestId !== null) parts.push(`req ${short(lane.requestId)}`)
    if (facts !== undefined) parts.push(`runner ${facts.name ?? facts.key}`)
  }
  return parts.join(" · ")
}

/** @param {ReturnType<typeof buildModel>} model @param {Lane} lane @param {number} width */
function renderLane(model, lane, width) {
  const facts = lane.runnerId === null ? undefined : model.runners.get(lane.runnerId)
  const badges = []
  if (facts?.version != null) badges.push(el("span", { class: "badge" }, `v${facts.version}`))
  if (lane.state !== "") {
    const stateClass = `badge state-${lane.state.split(" ")[0]}`
    badges.push(el("span", { class: stateClass }, lane.state))
  }
  const label = el(
    "div",
    { class: "lane-label" },
    el("div", { class: "lane-title" }, el("span", { title: lane.title }, lane.title), ...badges),
    el("div", { class: "lane-sub" }, laneSubtitle(model, lane)),
  )
  const track = el("div", { class: "track", style: `width:${width}px` })
  const lastSlot = model.times.length - 1
  const lifeEnd = lane.end ?? lastSlot
  track.append(
    el("div", {
      class: "life",
      style: `left:${x(lane.first)}px;width:${x(lifeEnd) - x(lane.first)}px`,
    }),
  )
  for (const band of lane.bands) {
    const to = band.to ?? lastSlot + 0.5
    const text =
      band.until === null
        ? `${band.style} since ${clock(band.since)}`
        : `${band.style} ${duration(band.until - band.since)}`
    track.append(
      el(
        "div",
        {
          class: `band ${band.style}`,
          style: `left:${x(band.from)}px;width:${x(to) - x(band.from)}px`,
          title: text,
        },
        text,
      ),
    )
  }
  for (const marker of lane.markers) {
    const event = /** @type {TapEvent} */ (state.events[marker.index])
    const selected = state.selected !== null && marker.folded.includes(state.selected)
    const attributes = {
      class: `marker ${marker.style}${selected ? " selected" : ""}`,
      style: `left:${x(marker.slot)}px`,
      "data-kind": marker.kind,
      "data-index": String(marker.index),
      "aria-label": markerName(marker),
      "aria-pressed": String(selected),
      title: `${clock(event.time)} ${describe(event)}`,
      type: "button",
    }
    track.append(
      el(
        "button",
        marker.dir ? { ...attributes, "data-dir": marker.dir } : attributes,
        marker.glyph,
      ),
    )
    if (marker.folded.length > 1) {
      const count = el("span", { class: "repeat-count", style: `left:${x(marker.slot)}px` })
      count.textContent = `×${marker.folded.length}`
      track.append(count)
    }
    if (marker.label) {
      track.append(
        el("span", { class: "close-label", style: `left:${x(marker.slot)}px` }, marker.label),
      )
    }
  }
  const attributes = { class: "lane", "data-lane": lane.id, "data-group": lane.group }
  if (lane.actorId !== null) Object.assign(attributes, { "data-actor": lane.actorId })
  return el("div", attributes, label, track)
}

/** @param {TapEvent} event */
function describe(event) {
  switch (event.type) {
    case "frame":
      return `${event.direction === "toRunner" ? "gateway → runner" : "runner → gateway"} ${event.kind}`
    case "fault":
      return `fault: ${event.message}`
    case "socket":
    case "runner":
      return `${event.type} ${event.event} ${closeText(event.code, event.reason)}`.trim()
    default:
      return `${event.type} ${event.event}`
  }
}

/**
 * What a screen reader (and a test) calls a marker: its kind and time.
 * @param {Marker} marker
 */
function markerName(marker) {
  const event = /** @type {TapEvent} */ (state.events[marker.index])
  const kind = kindOf(event).replace(".", " ")
  const count = marker.folded.length
  if (count === 1) return `${kind} at ${clock(event.time)}`
  const events = marker.folded.map((index) => /** @type {TapEvent} */ (state.events[index]))
  const kinds = [...new Set(events.map(kindOf))]
  const span = `${clock(event.time)} to ${clock(/** @type {TapEvent} */ (events.at(-1)).time)}`
  if (marker.kind === "chatter" && kinds.length > 1)
    return `pings and pongs ${count} times, ${span}`
  if (kinds.length === 1) return `${kind} ${count} times, ${span}`
  return `${count} frames (${kinds.join(", ")}), ${span}`
}

/** `1 event`, `2 events`. @param {number} count @param {string} word */
function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`
}

function render() {
  state.scheduled = false
  const timeline = $("timeline")
  const hadFocus = document.activeElement?.classList.contains("marker") === true
  const model = buildModel(state.events, state.showChatter, state.filter)
  const width = Math.max(x(model.times.length) + 160, 400)
  const ruler = el("div", { class: "track", style: `width:${width}px` })
  model.times.forEach((time, slot) => {
    if (slot % TICK_EVERY === 0) {
      ruler.append(el("span", { class: "tick", style: `left:${x(slot)}px` }, clock(time)))
    }
  })
  const rows = [
    el(
      "div",
      { class: "ruler" },
      el("div", { class: "lane-label", id: "ruler-start" }, "events in order →"),
      ruler,
    ),
  ]
  for (const [group, title] of GROUPS) {
    const lanes = model.lanes.filter((lane) => lane.group === group)
    if (lanes.length === 0) continue
    // As wide as the lanes, so its title stays in view (sticky) however far they scroll.
    const rowWidth = `width:calc(var(--label) + ${width}px)`
    rows.push(
      el(
        "div",
        { class: "group-title", style: rowWidth },
        el("span", {}, `${title} (${lanes.length})`),
      ),
    )
    for (const lane of lanes) rows.push(renderLane(model, lane, width))
  }
  if (model.times.length === 0) {
    const why =
      state.events.length === 0
        ? "No traffic yet."
        : isEmptyFilter(state.filter)
          ? "Only pings and tunnel acks so far (hidden)."
          : "No events match the filter."
    rows.push(el("p", { class: "empty" }, why))
  }
  timeline.replaceChildren(...rows)
  state.times = model.times
  state.shown = model.lanes.flatMap((lane) => lane.markers).sort((a, b) => a.index - b.index)
  if (state.follow) timeline.scrollLeft = timeline.scrollWidth
  labelFirstColumn()
  const sockets = model.lanes.filter((lane) => lane.group === "socket").length
  const counts = [
    plural(state.events.length, "event"),
    plural(model.runners.size, "runner"),
    plural(sockets, "socket"),
  ]
  if (model.filteredOut > 0) counts.push(`${model.filteredOut} filtered out`)
  if (model.hiddenChatter > 0) counts.push(`pings and acks hidden: ${model.hiddenChatter}`)
  if (model.hiddenLanes > 0) counts.push(`${plural(model.hiddenLanes, "lane")} hidden`)
  $("counts").textContent = counts.join(" · ")
  const pause = $("pause")
  pause.textContent = state.paused ? `Resume (${state.buffered.length} new)` : "Pause"
  pause.setAttribute("aria-pressed", String(state.paused))
  if (hadFocus && state.selected !== null) selectedMarker()?.focus({ preventScroll: true })
}

/**
 * Scrolled, the tick nearest the lane labels hides under them: the ruler's label cell says the
 * time of the first column in view instead, so the start of what is shown always has a time.
 */
function labelFirstColumn() {
  const timeline = $("timeline")
  const slot = Math.max(0, Math.ceil((timeline.scrollLeft - PAD) / STEP))
  const time = state.times[slot]
  const start = document.getElementById("ruler-start")
  if (start === null) return
  start.textContent =
    timeline.scrollLeft > 0 && time !== undefined ? `${clock(time)} →` : "events in order →"
}

function scheduleRender() {
  if (state.scheduled) return
  state.scheduled = true
  requestAnimationFrame(render)
}

/** @returns {HTMLElement | null} */
function selectedMarker() {
  return document.querySelector(".marker.selected")
}

/** @param {number} index */
function showDetails(index) {
  const event = state.events[index]
  if (event === undefined) return
  state.selected = index
  // Looking at one event: new ones must not scroll it away.
  state.follow = false
  const follow = /** @type {HTMLInputElement} */ ($("follow"))
  follow.checked = false
  const model = buildModel(state.events, true, emptyFilter())
  // A socket's close and an HTTP request's events do not name their runner: their lane knows it.
  const requestId = "requestId" in event ? event.requestId : null
  const laneRunner = model.lanes.find((lane) => lane.id === `req:${requestId}`)?.runnerId ?? null
  const runnerId = (event.type === "request" ? null : event.runnerId) ?? laneRunner
  const facts = runnerId === null ? undefined : model.runners.get(runnerId)
  /** @type {[string, string][]} */
  const rows = [
    ["time", `${clock(event.time)} (${new Date(event.time).toISOString()})`],
    ["seq", String(event.seq)],
  ]
  const fold = state.shown.find(
    (marker) => marker.folded.length > 1 && marker.folded.includes(index),
  )
  if (event.type === "frame") {
    rows.push([
      "direction",
      event.direction === "toRunner" ? "gateway → runner" : "runner → gateway",
    ])
  }
  if (runnerId !== null) {
    rows.push(["runner", `${facts?.name ?? "(unnamed)"} key ${facts?.key ?? "?"} id ${runnerId}`])
  }
  const version = event.type === "runner" ? event.version : (facts?.version ?? null)
  if (version !== null) rows.push(["protocol", `v${version}`])
  if (requestId !== null) rows.push(["request", requestId])
  if ("actorId" in event && event.actorId !== null) rows.push(["actor", event.actorId])
  if ("code" in event && (event.code !== null || event.reason !== null)) {
    rows.push(["close", closeText(event.code, event.reason)])
  }
  if (event.type === "socket") rows.push(["pending", String(event.pending)])
  $("details-title").textContent =
    `#${event.seq} ${event.type === "frame" ? event.kind : describe(event)} at ${clock(event.time)}`
  $("details-facts").replaceChildren(
    ...rows.flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]),
    ...(fold === undefined ? [] : [el("dt", {}, "with"), el("dd", {}, foldedList(fold, index))]),
  )
  $("details-text").textContent =
    event.type === "frame" ? event.text : JSON.stringify(event, null, 2)
  const decode = $("details-decode")
  if (event.type === "frame" && event.wire !== "") {
    const type = event.direction === "toRunner" ? "ToClient" : "ToServer"
    $("decode-command").textContent =
      `tunnelwire inspect decode ${event.wire} --type ${type} --version ${event.version}`
    decode.hidden = false
  } else decode.hidden = true
  const link = new URL(location.href)
  link.hash = `event=${event.seq}`
  $("event-link").setAttribute("href", link.href)
  history.replaceState(null, "", link.href)
  $("details").hidden = false
  render()
  const marker = selectedMarker()
  marker?.focus({ preventScroll: true })
  // Centred: at the left edge the sticky lane labels would cover it.
  marker?.scrollIntoView({ block: "nearest", inline: "center" })
}

/**
 * The events a folded marker stands for, each a button that shows it.
 * @param {Marker} fold
 * @param {number} shown
 */
function foldedList(fold, shown) {
  const list = el("ol", { class: "folded" })
  for (const index of fold.folded) {
    const event = /** @type {TapEvent} */ (state.events[index])
    const name = `${kindOf(event)} at ${clock(event.time)}`
    const item = el("button", { type: "button", "data-show": String(index) }, name)
    if (index === shown) item.setAttribute("aria-current", "true")
    list.append(el("li", {}, item))
  }
  return list
}

function hideDetails() {
  const focusBack = selectedMarker()?.getAttribute("data-index")
  $("details").hidden = true
  state.selected = null
  const link = new URL(location.href)
  link.hash = ""
  history.replaceState(null, "", link.href)
  render()
  const marker = /** @type {HTMLElement | null} */ (
    document.querySelector(`.marker[data-index="${focusBack}"]`)
  )
  marker?.focus({ preventScroll: true })
}

/** Selects the marker `step` places after (or before) the selected one, in the order of events. */
function moveSelection(/** @type {number} */ step) {
  if (state.shown.length === 0) return
  const selected = state.selected
  const at = state.shown.findIndex(
    (marker) => selected !== null && marker.folded.includes(selected),
  )
  const next = at === -1 ? (step > 0 ? 0 : state.shown.length - 1) : at + step
  const marker = state.shown[Math.min(Math.max(next, 0), state.shown.length - 1)]
  if (marker !== undefined) showDetails(marker.index)
}

/**
 * Takes new events: kept aside while paused, dropped if they were cleared before.
 * @param {readonly TapEvent[]} events
 */
function keep(events) {
  const cleared = state.clearedUpTo
  const fresh =
    cleared === null
      ? events
      : events.filter(
          (event) =>
            event.time > cleared.time || (event.time === cleared.time && event.seq > cleared.seq),
        )
  if (state.paused) state.buffered.push(...fresh)
  else state.events.push(...fresh)
  if (state.linked !== null) {
    const index = state.events.findIndex((event) => event.seq === state.linked)
    if (index !== -1) {
      state.linked = null
      showDetails(index)
      return
    }
  }
  scheduleRender()
}

/** @param {RelayMessage} message */
function receive(message) {
  if (state.sessionOpened) return
  if (message.kind === "events") {
    keep(message.events)
    return
  }
  const status = $("status")
  status.dataset.state = message.state
  status.textContent =
    message.state === "live"
      ? "● live"
      : message.state === "connecting"
        ? "connecting to the gateway…"
        : message.state === "session"
          ? `session file (${message.detail ?? ""})`
          : `gateway gone (${message.detail ?? "closed"}); retrying`
  $("gateway").textContent = message.gateway
  state.source = message.gateway
}

/** @type {WebSocket | undefined} */
let socket

function connect() {
  socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/tap`)
  const own = socket
  // The inspector sends everything it kept on each (re)connection: start from a clean slate.
  own.addEventListener("open", () => {
    state.events = []
    state.buffered = []
    state.selected = null
  })
  own.addEventListener("message", (message) => receive(JSON.parse(String(message.data))))
  own.addEventListener("close", () => {
    if (state.sessionOpened) return
    const status = $("status")
    status.dataset.state = "offline"
    status.textContent = "inspector offline; retrying"
    setTimeout(connect, 2_000)
  })
}

/** Shows a session file instead of the live tap. @param {File} file */
async function openSession(file) {
  let session
  try {
    session = parseSession(await file.text())
  } catch (error) {
    const status = $("status")
    status.dataset.state = "error"
    status.textContent = `cannot open ${file.name}: ${error instanceof Error ? error.message : String(error)}`
    return
  }
  state.sessionOpened = true
  socket?.close()
  state.events = session.events
  state.buffered = []
  state.paused = false
  state.selected = null
  state.clearedUpTo = null
  state.source = session.header.source
  $("details").hidden = true
  const status = $("status")
  status.dataset.state = "session"
  status.textContent = `session ${file.name} (${plural(session.events.length, "event")})`
  $("gateway").textContent = session.header.source
  render()
}

/** Downloads everything the page holds (paused events too) as a session file. */
function exportSession() {
  const events = [...state.events, ...state.buffered]
  const text = formatSession(events, state.source || location.href)
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19)
  const link = el("a", {
    href: URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" })),
    download: `tunnelwire-session-${stamp}.jsonl`,
  })
  document.body.append(link)
  link.click()
  link.remove()
}

/** Reads the filter box; a query that does not parse keeps the previous filter and says why. */
function applyFilter() {
  const input = /** @type {HTMLInputElement} */ ($("filter"))
  const error = $("filter-error")
  try {
    state.filter = parseFilter(input.value)
    error.textContent = ""
    input.removeAttribute("aria-invalid")
  } catch (problem) {
    if (!(problem instanceof FilterError)) throw problem
    error.textContent = problem.message
    input.setAttribute("aria-invalid", "true")
    return
  }
  const url = new URL(location.href)
  if (input.value.trim() === "") url.searchParams.delete("q")
  else url.searchParams.set("q", input.value)
  history.replaceState(null, "", url.href)
  scheduleRender()
}

/** @param {HTMLElement} button @param {string} text */
async function copy(button, text) {
  const label = button.textContent
  try {
    await navigator.clipboard.writeText(text)
    button.textContent = "Copied"
  } catch {
    button.textContent = "Copy failed: select the text"
  }
  setTimeout(() => {
    button.textContent = label
  }, 1_500)
}

$("timeline").addEventListener("click", (click) => {
  const target = /** @type {HTMLElement} */ (click.target)
  const index = target.closest(".marker")?.getAttribute("data-index")
  if (index != null) showDetails(Number(index))
})
$("timeline").addEventListener("scroll", labelFirstColumn, { passive: true })
$("close-details").addEventListener("click", hideDetails)
$("details-facts").addEventListener("click", (click) => {
  const index = /** @type {HTMLElement} */ (click.target)
    .closest("[data-show]")
    ?.getAttribute("data-show")
  if (index != null) showDetails(Number(index))
})
$("show-chatter").addEventListener("change", (change) => {
  state.showChatter = /** @type {HTMLInputElement} */ (change.target).checked
  scheduleRender()
})
$("follow").addEventListener("change", (change) => {
  state.follow = /** @type {HTMLInputElement} */ (change.target).checked
  scheduleRender()
})
$("pause").addEventListener("click", () => {
  state.paused = !state.paused
  if (!state.paused) state.events.push(...state.buffered.splice(0))
  render()
})
$("clear").addEventListener("click", () => {
  const last = [...state.events, ...state.buffered].at(-1)
  if (last !== undefined) state.clearedUpTo = { time: last.time, seq: last.seq }
  state.events = []
  state.buffered = []
  state.selected = null
  $("details").hidden = true
  render()
})
$("export").addEventListener("click", exportSession)
$("import").addEventListener("click", () => $("import-file").click())
$("import-file").addEventListener("change", (change) => {
  const input = /** @type {HTMLInputElement} */ (change.target)
  const file = input.files?.[0]
  if (file !== undefined) openSession(file)
  input.value = ""
})
$("copy-frame").addEventListener("click", (click) =>
  copy(/** @type {HTMLElement} */ (click.currentTarget), $("details-text").textContent ?? ""),
)
$("copy-command").addEventListener("click", (click) =>
  copy(/** @type {HTMLElement} */ (click.currentTarget), $("decode-command").textContent ?? ""),
)
$("filter").addEventListener("input", applyFilter)
$("filter-form").addEventListener("submit", (submit) => submit.preventDefault())
document.addEventListener("dragover", (drag) => drag.preventDefault())
document.addEventListener("drop", (drop) => {
  drop.preventDefault()
  const file = drop.dataTransfer?.files[0]
  if (file !== undefined) openSession(file)
})
document.addEventListener("keydown", (key) => {
  const target = /** @type {HTMLElement} */ (key.target)
  if (key.key === "Escape" && !$("details").hidden) {
    hideDetails()
    return
  }
  if (target.matches("input, textarea, select")) return
  if (key.key === "ArrowRight" || key.key === "ArrowDown") moveSelection(1)
  else if (key.key === "ArrowLeft" || key.key === "ArrowUp") moveSelection(-1)
  else return
  key.preventDefault()
})

const filterBox = /** @type {HTMLInputElement} */ ($("filter"))
filterBox.value = new URLSearchParams(location.search).get("q") ?? ""
applyFilter()
const linked = /^#event=(\d+)$/.exec(location.hash)?.[1]
state.linked = linked === undefined ? null : Number(linked)
connect()
render()
