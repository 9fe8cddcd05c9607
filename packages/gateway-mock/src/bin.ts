#!/usr/bin/env node
// `tunnelwire-gateway`: the gateway mock as a process. Stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from "node:util"
import { startGateway } from "./gateway.js"
import { formatTapEvent } from "./tap/tap-log.js"

const usage = `usage: tunnelwire-gateway [--port 6420] [--host 127.0.0.1] [--token T] [--log] [--tap-history N]
                          [--allowed-hosts a,b] [--serverless NAME=URL ...]

  --port         TCP port (0 picks a free one)             default 6420
  --host         interface to listen on                    default 127.0.0.1
  --token        runners and admin calls must present it   default none
  --log          print every tap event (frames decoded) to stdout
  --tap-history  events kept for late /tap?history=1 subscribers  default 1000
  --allowed-hosts  Host names the admin API and tap accept besides loopback ones (* for any)
  --serverless   a serverless runner NAME whose endpoint is URL (GET URL/start); repeatable;
                 the other settings are the defaults, POST /serverless sets them all`

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "6420" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string" },
    log: { type: "boolean", default: false },
    "tap-history": { type: "string", default: "1000" },
    "allowed-hosts": { type: "string", default: "" },
    serverless: { type: "string", multiple: true, default: [] },
    help: { type: "boolean", short: "h", default: false },
  },
})

/** `NAME=URL`, split at the first `=`. */
function serverlessRunner(spec: string): { runnerName: string; url: string } {
  const equals = spec.indexOf("=")
  if (equals < 1) {
    console.error(`--serverless takes NAME=URL, got ${JSON.stringify(spec)}`)
    process.exit(2)
  }
  return { runnerName: spec.slice(0, equals), url: spec.slice(equals + 1) }
}

if (values.help) {
  console.log(usage)
} else {
  const gateway = await startGateway({
    port: Number(values.port),
    host: values.host,
    token: values.token,
    tapHistory: Number(values["tap-history"]),
    allowedHosts: values["allowed-hosts"].split(",").filter((name) => name !== ""),
    serverless: values.serverless.map(serverlessRunner),
  })
  if (values.log) gateway.tap.subscribe((event) => console.log(formatTapEvent(event)))
  console.log(`tunnelwire gateway listening on ${gateway.url}`)
  console.log(`  runners: ${gateway.url.replace(/^http/, "ws")}/runners/connect`)
  console.log(`  clients: ${gateway.url}/gateway/{actorId}/…   admin: ${gateway.url}/actors`)
  console.log(`  tap:     ${gateway.url.replace(/^http/, "ws")}/tap`)
  for (const { runnerName, url } of values.serverless.map(serverlessRunner))
    console.log(`  serverless: ${runnerName} → ${url}/start`)
  const stop = () => {
    void gateway.stop()
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}
