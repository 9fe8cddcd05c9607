import {
  type BytesLike,
  type JsonValue,
  type ProtocolVersion,
  rootTypesByVersion,
  type StringifyOptions,
} from "../../src/index.js"

type RootTypes<V extends ProtocolVersion> = (typeof rootTypesByVersion)[V]

/** The name of a root type of version `V`, such as `"ToServer"`. */
export type RootName<V extends ProtocolVersion> = keyof RootTypes<V> & string

/** The TypeScript type of a message of root type `R` in version `V`. */
export type RootMessage<
  V extends ProtocolVersion,
  R extends RootName<V>,
> = RootTypes<V>[R] extends { encode(message: infer M): Uint8Array } ? M : never

/**
 * What every root type of the generated facade offers, with the message type left open so one
 * loop can drive every version and every root type.
 */
export interface RootCodec {
  encode(message: unknown): Uint8Array
  decode(bytes: BytesLike): unknown
  stringify(message: unknown, options?: StringifyOptions): string
  toJson(message: unknown): JsonValue
  fromJson(json: unknown): unknown
}

/** The generated `rootTypes` table of `version` (`v1.rootTypes`, `v2.rootTypes`, …). */
export function rootCodecsOf(version: ProtocolVersion): Readonly<Record<string, RootCodec>> {
  return rootTypesByVersion[version]
}

/** The codec of one root type; a root the schema lists but the facade lacks is an error. */
export function rootCodecOf(version: ProtocolVersion, root: string): RootCodec {
  const codec = rootCodecsOf(version)[root]
  if (codec === undefined) throw new Error(`v${version} facade has no root type ${root}`)
  return codec
}
