import { decodeToServerlessServerFrame } from "@tunnelwire/protocol"

/** What a serverless runner's init event says. */
export interface ServerlessInit {
  readonly runnerId: string
  /** The protocol the runner speaks; every first-family (v1–v3) packet counts as 3. */
  readonly runnerProtocolVersion: number
  /** The version the packet itself was encoded in. */
  readonly packetVersion: number
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/**
 * Reads an init event's data: base64 of a u16-LE version and a `ToServerlessServer` of that
 * version (`TS/mod.ts:1818-1835`, `PB/workflows/serverless/conn.rs:645-668`). Throws on anything
 * else: text that is not strict base64 (Node's decoder would skip what it cannot read), a version
 * this gateway does not know (`VersionError`), bytes that do not decode (`DecodeError`), a runner
 * id that is not a UUID.
 */
export function readServerlessInit(data: string): ServerlessInit {
  const text = data.trim()
  if (!BASE64.test(text)) throw new SyntaxError("the init event's data is not base64")
  const { version, message } = decodeToServerlessServerFrame(Buffer.from(text, "base64"))
  const { runnerId, runnerProtocolVersion } = message.val
  if (!UUID.test(runnerId))
    throw new SyntaxError(`runner id ${JSON.stringify(runnerId)} is not a UUID`)
  return { runnerId, runnerProtocolVersion, packetVersion: version }
}
