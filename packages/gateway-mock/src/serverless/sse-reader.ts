/** One server-sent event: its `event` field (`message` when absent) and its data lines joined. */
export interface SseEvent {
  readonly event: string
  readonly data: string
}

const LF = 0x0a
const CR = 0x0d

/** A line or an event's data over the reader's bound. */
export class SseLimitError extends Error {
  override name = "SseLimitError"
}

/**
 * Reads an SSE stream (the WHATWG event-stream format) a chunk at a time. A serverless endpoint
 * sends one small init event and pings, so lines and events are bounded: a peer cannot make the
 * gateway hold more than `maxLineChars` of a line or `maxEventChars` of one event.
 */
export class SseReader {
  readonly #maxLineChars: number
  readonly #maxEventChars: number
  readonly #decoder = new TextDecoder()
  #line = ""
  /** The last character was CR: an LF right after it ends no second line. */
  #afterCr = false
  #event = ""
  #data: string[] = []
  #dataChars = 0

  constructor(limits: { maxLineChars: number; maxEventChars: number }) {
    this.#maxLineChars = limits.maxLineChars
    this.#maxEventChars = limits.maxEventChars
  }

  /** The events `chunk` completes; throws `SseLimitError` past a bound. */
  push(chunk: Uint8Array): SseEvent[] {
    const text = this.#decoder.decode(chunk, { stream: true })
    const events: SseEvent[] = []
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i)
      // CR LF is one line end, even split across chunks.
      if (char === LF && this.#afterCr) {
        this.#afterCr = false
        start = i + 1
        continue
      }
      this.#afterCr = char === CR
      if (char !== LF && char !== CR) continue
      const line = this.#line + text.slice(start, i)
      this.#line = ""
      start = i + 1
      const event = this.#takeLine(line)
      if (event !== null) events.push(event)
    }
    this.#line += text.slice(start)
    if (this.#line.length > this.#maxLineChars) {
      throw new SseLimitError(`an SSE line exceeds ${this.#maxLineChars} characters`)
    }
    return events
  }

  #takeLine(line: string): SseEvent | null {
    if (line.length > this.#maxLineChars) {
      throw new SseLimitError(`an SSE line exceeds ${this.#maxLineChars} characters`)
    }
    if (line === "") return this.#dispatch()
    if (line.startsWith(":")) return null
    const colon = line.indexOf(":")
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? "" : line.slice(colon + 1)
    if (value.startsWith(" ")) value = value.slice(1)
    if (field === "event") this.#event = value
    else if (field === "data") {
      this.#dataChars += value.length + 1
      if (this.#dataChars > this.#maxEventChars) {
        throw new SseLimitError(`an SSE event's data exceeds ${this.#maxEventChars} characters`)
      }
      this.#data.push(value)
    }
    return null
  }

  #dispatch(): SseEvent | null {
    const event = this.#event === "" ? "message" : this.#event
    const hasData = this.#data.length > 0
    const data = this.#data.join("\n")
    this.#event = ""
    this.#data = []
    this.#dataChars = 0
    return hasData ? { event, data } : null
  }
}
