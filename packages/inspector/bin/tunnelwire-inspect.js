#!/usr/bin/env node
import { nodeInspectIo, runInspect } from "../dist/cli.js"

process.exitCode = await runInspect(process.argv.slice(2), nodeInspectIo())
