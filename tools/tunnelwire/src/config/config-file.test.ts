import { describe, expect, it } from "vitest"
import { ConfigError, parseProjectConfig } from "./config-file.ts"

const CHAT = { schemas: "schemas/chat", out: "src/chat/gen", converters: "src/chat/converters" }
const parse = (config: unknown) => parseProjectConfig(JSON.stringify(config), "tunnelwire.json")

/** The ConfigError message parsing `config` raises. */
function errorOf(config: unknown): string {
  try {
    typeof config === "string" ? parseProjectConfig(config, "tunnelwire.json") : parse(config)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error("the config was accepted")
}

describe("tunnelwire.json", () => {
  it("reads every family with its paths and options", () => {
    const full = {
      ...CHAT,
      goldenVectors: "test/golden",
      package: ".",
      changesets: ".changeset",
      regenerate: "npm run gen",
    }
    expect(
      parse({ families: { chat: full, presence: { ...CHAT, schemas: "p", out: "q" } } }),
    ).toEqual({ families: { chat: full, presence: { ...CHAT, schemas: "p", out: "q" } } })
  })

  it.each([
    [[], "tunnelwire.json: the top level: must be an object, not an array"],
    [{}, "tunnelwire.json: families: missing: name at least one family"],
    [{ families: {} }, "tunnelwire.json: families: is empty: name at least one family"],
    [{ families: [CHAT] }, "tunnelwire.json: families: must be an object, not an array"],
    [
      { families: { chat: CHAT }, famlies: {} },
      'tunnelwire.json: famlies: unknown key; expected "families"',
    ],
    [
      { families: { chat: "schemas/chat" } },
      "tunnelwire.json: families.chat: must be an object, not a string",
    ],
    [
      { families: { Chat: CHAT } },
      "tunnelwire.json: families.Chat: a family name is lower-case letters, digits and dashes, starting with a letter",
    ],
    [
      { families: { chat: { out: "gen", converters: "c" } } },
      "tunnelwire.json: families.chat.schemas: missing",
    ],
    [
      { families: { chat: { ...CHAT, out: 7 } } },
      "tunnelwire.json: families.chat.out: must be a string, not a number",
    ],
    [
      { families: { chat: { ...CHAT, converters: " " } } },
      "tunnelwire.json: families.chat.converters: must not be empty",
    ],
    [
      { families: { chat: { ...CHAT, schemas: "/abs/chat" } } },
      `tunnelwire.json: families.chat.schemas: "/abs/chat" must be relative to the config file's directory`,
    ],
    [
      { families: { chat: { ...CHAT, golden: "g" } } },
      "tunnelwire.json: families.chat.golden: unknown key; expected one of schemas, out, converters, goldenVectors, package, changesets, regenerate",
    ],
    [
      { families: { chat: { ...CHAT, changesets: ".changeset" } } },
      'tunnelwire.json: families.chat.changesets: needs "package": the package a changeset names',
    ],
    [
      { families: { chat: CHAT, presence: { ...CHAT, schemas: "schemas/presence" } } },
      'tunnelwire.json: families.presence.out: "src/chat/gen" is already families.chat.out',
    ],
    [
      { families: { chat: CHAT, presence: { ...CHAT, schemas: "./schemas/chat/", out: "p" } } },
      'tunnelwire.json: families.presence.schemas: "schemas/chat" is already families.chat.schemas',
    ],
  ])("refuses a config it cannot use (%#), naming the file and the key", (config, message) => {
    expect(errorOf(config)).toBe(message)
  })

  it("reports invalid JSON at its line and column", () => {
    expect(errorOf('{\n  "families": {\n    "chat": {,\n')).toMatch(
      /^tunnelwire\.json:3:14: invalid JSON: \S/,
    )
    expect(errorOf("")).toMatch(
      /^tunnelwire\.json:1:1: invalid JSON: Unexpected end of JSON input$/,
    )
  })
})
