// A tour of @tunnelwire/protocol: the same WebSocket message in every protocol version,
// encoded, decoded, printed for people and mapped to JSON.
import {
  latest,
  PROTOCOL_VERSIONS,
  readEmbeddedVersion,
  stringify,
  toJson,
  v1,
  writeEmbeddedVersion,
} from "../packages/protocol/src/index.ts"

const requestId = crypto.getRandomValues(new Uint8Array(16)).buffer
const messageId = crypto.getRandomValues(new Uint8Array(16)).buffer
const hello = new TextEncoder().encode("hello from the gateway").buffer

const v3Message: latest.ToClient = {
  tag: "ToClientTunnelMessage",
  val: {
    requestId,
    messageId,
    messageKind: { tag: "ToClientWebSocketMessage", val: { index: 7, data: hello, binary: false } },
    gatewayReplyTo: null,
  },
}
// v1 has no message index: the same message is two bytes shorter.
const v1Message: v1.ToClient = {
  tag: "ToClientTunnelMessage",
  val: {
    requestId,
    messageId,
    messageKind: { tag: "ToClientWebSocketMessage", val: { data: hello, binary: false } },
    gatewayReplyTo: null,
  },
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
console.log(`tunnelwire speaks runner protocol versions ${PROTOCOL_VERSIONS.join(", ")}.\n`)
for (const [version, bytes] of [
  [1, v1.encodeToClient(v1Message)],
  [3, latest.encodeToClient(v3Message)],
] as const) {
  console.log(`v${version} ToClient, ${bytes.length} bytes on the wire:\n  ${hex(bytes)}`)
  const stored = writeEmbeddedVersion(version, bytes)
  const { version: storedVersion, payload } = readEmbeddedVersion(stored)
  const decoded = storedVersion === 1 ? v1.decodeToClient(payload) : latest.decodeToClient(payload)
  console.log(`  stringify: ${stringify(decoded, { version: storedVersion })}`)
  console.log(`  JSON:      ${JSON.stringify(toJson(decoded, { version: storedVersion }))}\n`)
}
console.log(
  "Next: `npm test` runs the test suites; `npm run bench -w @tunnelwire/protocol` the benchmark.",
)
