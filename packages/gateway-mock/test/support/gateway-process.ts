// A gateway in its own process, so that a test can read its memory from /proc:
// `node --import tsx gateway-process.ts '<options as JSON>'`. Prints its URL once listening and
// stops on SIGTERM.
import { startGateway } from "../../src/index.js"

const gateway = await startGateway({ port: 0, ...JSON.parse(process.argv[2] ?? "{}") })
console.log(gateway.url)
process.once("SIGTERM", () => void gateway.stop())
