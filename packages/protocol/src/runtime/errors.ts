/** The base of every error the protocol package throws on purpose. */
export class TunnelwireError extends Error {
  override name = "TunnelwireError"
}

/** Bytes that are not a valid message of `type` in protocol `version`. */
export class DecodeError extends TunnelwireError {
  override name = "DecodeError"
  /** The root type being decoded, such as `ToClient`. */
  readonly type: string
  readonly version: number
  /** Byte offset in the input where decoding failed. */
  readonly offset: number
  /** What was wrong there, such as `invalid tag` or `missing bytes`. */
  readonly reason: string

  constructor(
    details: { type: string; version: number; offset: number; reason: string },
    options?: ErrorOptions,
  ) {
    super(
      `cannot decode v${details.version} ${details.type}: ${details.reason} at byte ${details.offset}`,
      options,
    )
    this.type = details.type
    this.version = details.version
    this.offset = details.offset
    this.reason = details.reason
  }
}

/** A value that cannot be written as `type`, such as a request id that is not 16 bytes. */
export class EncodeError extends TunnelwireError {
  override name = "EncodeError"
  readonly type: string
  readonly version: number | undefined
  readonly reason: string

  constructor(details: { type: string; version?: number; reason: string }, options?: ErrorOptions) {
    const where =
      details.version === undefined ? details.type : `v${details.version} ${details.type}`
    super(`cannot encode ${where}: ${details.reason}`, options)
    this.type = details.type
    this.version = details.version
    this.reason = details.reason
  }
}

/** A JSON value that does not map to a message of the given type. */
export class JsonMappingError extends TunnelwireError {
  override name = "JsonMappingError"
  /** Where in the value, such as `ToClient.val.messageKind.val.data`. */
  readonly path: string
  readonly version: number
  readonly reason: string

  constructor(details: { path: string; version: number; reason: string }) {
    super(`cannot map v${details.version} ${details.path} from JSON: ${details.reason}`)
    this.path = details.path
    this.version = details.version
    this.reason = details.reason
  }
}

/** A protocol version this build does not know, or a malformed embedded-version frame. */
export class VersionError extends TunnelwireError {
  override name = "VersionError"
  readonly version: number | undefined

  constructor(message: string, version?: number) {
    super(message)
    this.version = version
  }
}
