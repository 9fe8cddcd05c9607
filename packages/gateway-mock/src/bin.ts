#!/usr/bin/env node
// `tunnelwire-gateway`: the gateway mock as a process. Stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from "node:util"
import { startGateway } from "./gateway.js"
import { formatTapEvent } from "./tap/tap-log.js"

const usage = `usage: tunnelwire-gateway [--port 6420] [--host 127.0.0.1] [--token T] [--log] [--tap-history N]
                          [--allowed-hosts a,b]

  --port         TCP port (0 picks a free one)             default 6420
  --host         interface to listen on                    default 127.0.0.1
  --token        runners and admin calls must present it   default none
  --log          print every tap event (frames decoded) to stdout
  --tap-history  events kept for late /tap?history=1 subscribers  default 1000
  --allowed-hosts  Host names the admin API and tap accept besides loopback ones (* for any)`

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "6420" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string" },
    log: { type: "boolean", default: false },
    "tap-history": { type: "string", default: "1000" },
    "allowed-hosts": { type: "string", default: "" },
    help: { type: "boolean", short: "h", default: false },
  },
})

if (values.help) {
  console.log(usage)
} else {
  const gateway = await startGateway({
    port: Number(values.port),
    host: values.host,
    token: values.token,
    tapHistory: Number(values["tap-history"]),
    allowedHosts: values["allowed-hosts"].split(",").filter((name) => name !== ""),
  })
  if (values.log) gateway.tap.subscribe((event) => console.log(formatTapEvent(event)))
  console.log(`tunnelwire gateway listening on ${gateway.url}`)
  console.log(`  runners: ${gateway.url.replace(/^http/, "ws")}/runners/connect`)
  console.log(`  clients: ${gateway.url}/gateway/{actorId}/…   admin: ${gateway.url}/actors`)
  console.log(`  tap:     ${gateway.url.replace(/^http/, "ws")}/tap`)
  const stop = () => {
    void gateway.stop()
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}
