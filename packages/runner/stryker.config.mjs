import { strykerConfig } from "../../scripts/mutation/stryker-base.mjs"

export default strykerConfig({
  pkg: "packages/runner",
  mutate: ["src/**/*.ts"],
})
