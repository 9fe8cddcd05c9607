import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Absolute: Stryker runs vitest from the repository root, where a relative path would not resolve.
    globalSetup: [fileURLToPath(new URL("test/support/build-cli.ts", import.meta.url))],
    testTimeout: 60_000,
  },
})
