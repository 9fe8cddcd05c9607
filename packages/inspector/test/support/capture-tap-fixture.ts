// Regenerates test/fixtures/hibernation.tap.jsonl, the tap of one hibernation cycle that the tail
// goldens replay: `npx tsx test/support/capture-tap-fixture.ts` (then update the goldens).
import { writeFileSync } from "node:fs"
import { playHibernation, startChatWorld } from "./chat-world.js"

const world = await startChatWorld()
await playHibernation(world, "room-1")
const status = world.gateway.createActor({ name: "status", runnerName: "legacy-runner" })
await (await fetch(`${world.gateway.url}/gateway/${status.actorId}/status`)).text()
await world.stop()
const lines = world.events.map((event) => `${JSON.stringify(event)}\n`)
writeFileSync(new URL("../fixtures/hibernation.tap.jsonl", import.meta.url), lines.join(""))
