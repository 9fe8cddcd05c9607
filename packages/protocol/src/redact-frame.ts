import { type ProtocolVersion, rootTypesByVersion } from "./gen/versions.js"
import { redact } from "./message-text.js"

/** The root types a runner connection carries, and the two a gateway's relay carries. */
export type FrameType = keyof (typeof rootTypesByVersion)[ProtocolVersion]

interface UntypedRootCodec {
  encode(message: unknown): Uint8Array
  decode(bytes: Uint8Array): unknown
}

/**
 * Decodes a frame, replaces every credential in it (see {@link redact}) and encodes it again in
 * the same version: what a tap or a capture may show or store, still a frame that decodes.
 * Throws the decoder's error for bytes that are not a frame of that type and version.
 */
export function redactFrame(
  wire: Uint8Array,
  options: { readonly version: ProtocolVersion; readonly type: FrameType },
): { readonly message: unknown; readonly wire: Uint8Array } {
  // Each version's codec has its own message type; the redacted copy is always of the same type.
  const codec = rootTypesByVersion[options.version][options.type] as unknown as UntypedRootCodec
  const decoded = codec.decode(wire)
  const message = redact(decoded, options)
  // Most frames carry no secret: their bytes are passed on as they are, not encoded again.
  return { message, wire: message === decoded ? wire : codec.encode(message) }
}
