import { readFile } from "node:fs/promises"
import type { InspectIo } from "./inspect-io.js"
import { wantsColor } from "./tail/paint.js"

/**
 * The real process as an InspectIo, for the bins. The first Ctrl-C aborts `interrupt` so a
 * command can close its sockets and exit; a second one ends the process the default way.
 */
export function nodeInspectIo(): InspectIo {
  const controller = new AbortController()
  process.once("SIGINT", () => controller.abort())
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: async (path) => new Uint8Array(await readFile(path)),
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return new Uint8Array(Buffer.concat(chunks))
    },
    interrupt: controller.signal,
    color: wantsColor(process.stdout.isTTY === true, process.env),
  }
}
