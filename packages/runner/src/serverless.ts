import { encodeToServerlessServerFrame, serverlessInitVersion } from "@tunnelwire/protocol"

/**
 * What a serverless endpoint streams to the gateway once its runner is accepted: base64 of the
 * u16-LE protocol version and a `ToServerlessServerInit` naming the runner id (and, from v4, the
 * runner's protocol version), the bytes Rivet's `Runner.getServerlessInitPacket()` makes.
 */
export function serverlessInitPacket(runnerId: string, protocolVersion: number): string {
  const frame = encodeToServerlessServerFrame(
    {
      tag: "ToServerlessServerInit",
      val: { runnerId, runnerProtocolVersion: serverlessInitVersion(protocolVersion) },
    },
    { version: protocolVersion },
  )
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString("base64")
}
