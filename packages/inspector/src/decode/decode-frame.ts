import {
  DecodeError,
  isProtocolVersion,
  LATEST_VERSION,
  readEmbeddedVersion,
  rootTypesByVersion,
  schemaOf,
} from "@tunnelwire/protocol/pinned/v3"

export interface FrameRequest {
  readonly bytes: Uint8Array
  /** Root type name; when absent, every root type of the version is tried. */
  readonly type?: string
  /** Protocol version; ignored when `embedded` (the frame says it). Default: latest. */
  readonly version?: number
  /** The bytes start with a u16 little-endian version (stored or relayed messages). */
  readonly embedded?: boolean
}

export type FrameResult =
  | {
      readonly ok: true
      readonly version: number
      readonly type: string
      readonly message: unknown
    }
  | {
      readonly ok: false
      readonly version: number
      /** Every root type tried, with why it did not decode. */
      readonly failures: readonly { readonly type: string; readonly error: DecodeError }[]
      /** Bytes of the payload (after any embedded version), for a hex dump. */
      readonly payload: Uint8Array
      /** Offset of the payload in the input (2 for embedded frames). */
      readonly payloadOffset: number
    }
  | { readonly ok: "ambiguous"; readonly version: number; readonly types: readonly string[] }

type RootCodecs = Readonly<Record<string, { decode(bytes: Uint8Array): unknown }>>

/** Decodes a frame as one root type, or as whichever single root type it decodes as. */
export function decodeFrame(request: FrameRequest): FrameResult {
  const framed = request.embedded === true ? readEmbeddedVersion(request.bytes) : undefined
  const version = framed?.version ?? request.version ?? LATEST_VERSION
  const payload = framed?.payload ?? request.bytes
  schemaOf(version) // an unknown version throws VersionError naming the supported ones
  if (!isProtocolVersion(version)) throw new Error(`no codecs for v${version}`)
  const roots: RootCodecs = rootTypesByVersion[version]
  const candidates = request.type === undefined ? Object.keys(roots) : [request.type]
  const decoded: { type: string; message: unknown }[] = []
  const failures: { type: string; error: DecodeError }[] = []
  for (const type of candidates) {
    const codec = roots[type]
    if (codec === undefined) {
      throw new Error(
        `v${version} has no root type ${type}; root types: ${Object.keys(roots).join(", ")}`,
      )
    }
    try {
      decoded.push({ type, message: codec.decode(payload) })
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error
      failures.push({ type, error })
    }
  }
  const [only] = decoded
  if (decoded.length === 1 && only !== undefined) return { ok: true, version, ...only }
  if (decoded.length > 1) return { ok: "ambiguous", version, types: decoded.map((d) => d.type) }
  return { ok: false, version, failures, payload, payloadOffset: framed === undefined ? 0 : 2 }
}
