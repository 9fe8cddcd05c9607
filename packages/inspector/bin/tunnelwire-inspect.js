#!/usr/bin/env node
import { runInspect } from "../dist/cli.js"

process.exitCode = await runInspect(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => import("node:fs").then((fs) => fs.readFileSync(path)),
  readStdin: async () => {
    const chunks = []
    for await (const chunk of process.stdin) chunks.push(chunk)
    return Buffer.concat(chunks)
  },
})
