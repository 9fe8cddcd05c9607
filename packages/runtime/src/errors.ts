/** The base of every error tunnelwire's runtime and generated code throw on purpose. */
export class TunnelwireError extends Error {
  override name = "TunnelwireError"
}

/** Bytes that are not a valid message of `type` in protocol `version`. */
export class DecodeError extends TunnelwireError {
  override name = "DecodeError"
  /** The root type being decoded, such as `Order`. */
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

/**
 * A value that cannot be written as its wire type: an unknown enum value or union tag, a number
 * out of range, a string for `data`, a missing field. Says where (`path`), what was there
 * (`value`) and what was expected (`reason`).
 */
export class EncodeError extends TunnelwireError {
  override name = "EncodeError"
  /** The type being encoded, such as `Order`. */
  readonly type: string
  readonly version: number | undefined
  /** Where in the value, such as `Order.val.lines[2].quantity`; the type for the whole. */
  readonly path: string
  /** The offending value, as it was given. */
  readonly value: unknown
  readonly reason: string

  constructor(
    details: { type: string; version?: number; path?: string; value?: unknown; reason: string },
    options?: ErrorOptions,
  ) {
    const where =
      details.version === undefined ? details.type : `v${details.version} ${details.type}`
    const path = details.path ?? details.type
    super(
      `cannot encode ${where}${path === details.type ? "" : ` at ${path}`}: ${details.reason}`,
      options,
    )
    this.type = details.type
    this.version = details.version
    this.path = path
    this.value = details.value
    this.reason = details.reason
  }
}

/** A JSON value that does not map to a message of the given type. */
export class JsonMappingError extends TunnelwireError {
  override name = "JsonMappingError"
  /** Where in the value, such as `Order.val.lines[2].sku`. */
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
