/** What went wrong with a serverless `/start` request, as Rivet's engine tells these cases apart. */
export type ServerlessErrorKind =
  /** The endpoint answered with a status other than 2xx (`status` and the start of the body). */
  | "httpStatus"
  /** The endpoint answered without `Content-Type: text/event-stream`. */
  | "contentType"
  /** The request could not be sent or its stream broke. */
  | "connection"
  /** An SSE event whose data is not an init packet: bad base64, an unknown version, bad bytes. */
  | "invalidPayload"
  /** The SSE stream broke its own rules: a line or an event over the bound. */
  | "invalidStream"
  /** The stream ended before the gateway drained it. */
  | "streamEndedEarly"
  /** No init event arrived within the start timeout. */
  | "initTimeout"

/** A serverless request failed; the gateway reports it (admin API, tap fault) and keeps serving. */
export class ServerlessError extends Error {
  override name = "ServerlessError"
  readonly kind: ServerlessErrorKind
  /** The endpoint's URL (`…/start`). */
  readonly url: string
  readonly runnerName: string
  /** The HTTP status, for `httpStatus`. */
  readonly status: number | null

  constructor(
    details: {
      kind: ServerlessErrorKind
      url: string
      runnerName: string
      message: string
      status?: number
    },
    options?: ErrorOptions,
  ) {
    super(
      `serverless runner ${details.runnerName} (${details.url}): ${details.kind}: ${details.message}`,
      options,
    )
    this.kind = details.kind
    this.url = details.url
    this.runnerName = details.runnerName
    this.status = details.status ?? null
  }
}
