import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { PROTOCOL_VERSIONS, type SchemaDescriptor, schemas, v1, v2, v3 } from "../src/index.js"
import {
  GOLDEN_DIR,
  type GoldenEntry,
  goldenFiles,
  goldenText,
  hexDump,
  type RootCodec,
  stringifyLine,
  UPDATE_COMMAND,
  versionDir,
} from "./golden/corpus.js"
import { missingVariants } from "./golden/coverage.js"
import { goldenCorpus } from "./golden/fixtures.js"

function committedBin(entry: GoldenEntry): Uint8Array {
  const path = join(versionDir(entry.version), `${entry.stem}.bin`)
  if (!existsSync(path)) throw new Error(`${path} is missing: run ${UPDATE_COMMAND}`)
  // A plain Uint8Array, not the Buffer readFileSync returns, so byte comparisons see equal types.
  return new Uint8Array(readFileSync(path))
}

function committedText(entry: GoldenEntry): string {
  const path = join(versionDir(entry.version), `${entry.stem}.txt`)
  if (!existsSync(path)) throw new Error(`${path} is missing: run ${UPDATE_COMMAND}`)
  return readFileSync(path, "utf8")
}

function isUnion(schema: SchemaDescriptor, typeName: string): boolean {
  return schema.types[typeName]?.kind === "union"
}

describe.each(PROTOCOL_VERSIONS)("v%i golden corpus", (version) => {
  const schema = schemas[version]
  const entries = goldenCorpus[version] ?? []

  it("has a fixture table", () => {
    expect(
      goldenCorpus[version],
      `v${version} has no golden fixtures: add test/golden/fixtures-v${version}.ts, register it in test/golden/fixtures.ts, then run ${UPDATE_COMMAND}`,
    ).toBeDefined()
  })

  describe.each(entries)("$stem", (entry) => {
    // Hex dumps rather than raw arrays, so a mismatch reads as a diff of offsets and bytes.
    it("encodes to exactly the committed .bin", () => {
      expect(hexDump(entry.encode())).toBe(hexDump(committedBin(entry)))
    })

    it("decodes the committed .bin to the fixture, which re-encodes to the same bytes", () => {
      const bytes = committedBin(entry)
      expect(entry.decode(bytes)).toEqual(entry.message)
      expect(hexDump(entry.encodeDecoded(bytes))).toBe(hexDump(bytes))
    })

    it("stringifies to the first line of the committed .txt, which then holds the hex dump", () => {
      const text = committedText(entry)
      expect(text.split("\n")[0]).toBe(stringifyLine(entry))
      expect(text).toBe(goldenText(entry, committedBin(entry)))
    })

    if (isUnion(schema, entry.rootType)) {
      it("is named after the root member it holds", () => {
        expect(entry.message).toMatchObject({ tag: entry.stem.split(".")[1] })
      })
    }
  })

  it("holds no file that no fixture produces", () => {
    const planned = goldenFiles(entries)
    const dir = versionDir(version)
    const orphans = existsSync(dir) ? readdirSync(dir).filter((name) => !planned.has(name)) : []
    expect(
      orphans,
      `files in ${dir} without a fixture (${orphans.join(", ")}): add their fixtures or run ${UPDATE_COMMAND}`,
    ).toEqual([])
  })

  it("has a message for every root type", () => {
    const covered = new Set(entries.map((entry) => entry.rootType))
    const missing = schema.roots.filter((root) => !covered.has(root))
    expect(missing, `v${version} root types without a golden message`).toEqual([])
  })

  it("uses every member of every union and every value of every enum", () => {
    expect(
      missingVariants(schema, entries),
      `v${version} has union members or enum values no golden message uses: add fixtures for them to test/golden/fixtures-v${version}.ts (or fixtures-shared.ts), then run ${UPDATE_COMMAND}`,
    ).toEqual([])
  })
})

describe("golden corpus layout", () => {
  it("has a directory only for versions this build knows", () => {
    const dirs = readdirSync(GOLDEN_DIR).filter((name) => /^v\d+$/.test(name))
    expect(dirs.sort()).toEqual(PROTOCOL_VERSIONS.map((version) => `v${version}`))
  })

  it("reports a union member a new version adds until a fixture uses it", () => {
    const v3Schema = schemas[3]
    const kind = v3Schema.types.ToServerTunnelMessageKind
    if (kind?.kind !== "union") throw new Error("ToServerTunnelMessageKind is not a union")
    const nextSchema: SchemaDescriptor = {
      ...v3Schema,
      version: 4,
      types: {
        ...v3Schema.types,
        ToServerTunnelMessageKind: {
          kind: "union",
          members: [
            ...kind.members,
            { tag: 8, name: "ToServerWebSocketPause", type: { kind: "void" } },
          ],
        },
      },
    }
    const corpus = goldenCorpus[3] ?? []
    const alreadyMissing = new Set(missingVariants(v3Schema, corpus))
    const newlyMissing = missingVariants(nextSchema, corpus).filter((v) => !alreadyMissing.has(v))
    expect(newlyMissing).toEqual(["ToServerTunnelMessageKind.ToServerWebSocketPause"])
  })
})

// Vectors worked out by hand from the BARE rules, independent of the generated codecs:
// - uint (lengths, counts, union tags, enum values): LEB128, 7 bits a byte, low group first,
//   high bit set on every byte but the last;
// - u16/u32/i64: fixed width, little-endian, i64 in two's complement;
// - bool: one byte, 0 or 1; void: nothing; optional: 0 (absent) or 1 then the value;
// - str and data: uint length then the bytes; data[16]: the 16 bytes, no length;
// - struct: its fields in order, nothing else; map: uint count then key, value pairs.

function expectVector<Message>(
  codec: RootCodec<Message>,
  message: Message,
  expected: readonly number[],
): void {
  expect(hexDump(codec.encode(message))).toBe(hexDump(Uint8Array.from(expected)))
  expect(codec.decode(Uint8Array.from(expected))).toEqual(message)
}

const requestId = Uint8Array.from({ length: 16 }, (_, i) => i).buffer
const messageId = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i).buffer
const REQUEST_ID_BYTES = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
]
const MESSAGE_ID_BYTES = [
  0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
]
const ids = { requestId, messageId }

// biome-ignore format: each row of bytes sits beside the field it encodes
describe("hand-worked BARE vectors agree with the encoder", () => {
  it("v3 ToServerPing{ts: 1700000000000n} is tag 4, then ts as 8 little-endian bytes", () => {
    expectVector(v3.rootTypes.ToServer, { tag: "ToServerPing", val: { ts: 1_700_000_000_000n } }, [
      0x04, // ToServer tag: Init 0, Events 1, AckCommands 2, Stopping 3, Ping 4
      0x00, 0x68, 0xe5, 0xcf, 0x8b, 0x01, 0x00, 0x00, // ts: i64 0x0000_018b_cfe5_6800, low first
    ])
  })

  it("ToServerWebSocketClose is kind tag 6 in v1, 7 plus a retry byte in v2, and v3's hibernate is that byte", () => {
    const v1Bytes = [
      0x06, // ToServer tag: TunnelMessage is member 6
      ...REQUEST_ID_BYTES, // requestId: data[16], raw
      ...MESSAGE_ID_BYTES, // messageId: data[16], raw
      0x06, // kind tag: Ack 0, ResponseStart 1, Chunk 2, Abort 3, WsOpen 4, WsMessage 5, WsClose 6
      0x01, // code: optional<u16>, present
      0xe8, 0x03, // 1000 = 0x03e8, low byte first
      0x01, // reason: optional<str>, present
      0x09, // str length 9
      0x72, 0x6f, 0x6f, 0x6d, 0x2e, 0x73, 0x68, 0x75, 0x74, // "room.shut"
    ]
    const v2Bytes = [
      0x06, // ToServer tag: TunnelMessage is member 6
      ...REQUEST_ID_BYTES, // requestId: data[16], raw
      ...MESSAGE_ID_BYTES, // messageId: data[16], raw
      0x07, // kind tag: WsMessageAck took 6, so WsClose moved to 7
      0x01, // code: present
      0xe8, 0x03, // 1000, little-endian
      0x01, // reason: present
      0x09, // str length 9
      0x72, 0x6f, 0x6f, 0x6d, 0x2e, 0x73, 0x68, 0x75, 0x74, // "room.shut"
      0x00, // retry: bool false
    ]
    const close = { code: 1000, reason: "room.shut" }
    expectVector(
      v1.rootTypes.ToServer,
      {
        tag: "ToServerTunnelMessage",
        val: { ...ids, messageKind: { tag: "ToServerWebSocketClose", val: close } },
      },
      v1Bytes,
    )
    expectVector(
      v2.rootTypes.ToServer,
      {
        tag: "ToServerTunnelMessage",
        val: { ...ids, messageKind: { tag: "ToServerWebSocketClose", val: { ...close, retry: false } } },
      },
      v2Bytes,
    )
    expectVector(
      v3.rootTypes.ToServer,
      {
        tag: "ToServerTunnelMessage",
        val: { ...ids, messageKind: { tag: "ToServerWebSocketClose", val: { ...close, hibernate: false } } },
      },
      v2Bytes,
    )
  })

  it("ToServerWebSocketOpen is no bytes in v1, canHibernate and an i64 in v2, canHibernate alone in v3", () => {
    const header = [
      0x06, // ToServer tag: TunnelMessage
      ...REQUEST_ID_BYTES, // requestId
      ...MESSAGE_ID_BYTES, // messageId
      0x04, // kind tag: WsOpen is member 4 in every version
    ]
    expectVector(
      v1.rootTypes.ToServer,
      {
        tag: "ToServerTunnelMessage",
        val: { ...ids, messageKind: { tag: "ToServerWebSocketOpen", val: null } },
      },
      [...header], // void: nothing follows the tag
    )
    expectVector(
      v2.rootTypes.ToServer,
      {
        tag: "ToServerTunnelMessage",
        val: {
          ...ids,
          messageKind: { tag: "ToServerWebSocketOpen", val: { canHibernate: true, lastMsgIndex: -1n } },
        },
      },
      [
        ...header,
        0x01, // canHibernate: bool true
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // lastMsgIndex: i64 -1, two's complement
      ],
    )
    expectVector(
      v3.rootTypes.ToServer,
      {
        tag: "ToServerTunnelMessage",
        val: { ...ids, messageKind: { tag: "ToServerWebSocketOpen", val: { canHibernate: true } } },
      },
      [
        ...header,
        0x01, // canHibernate: bool true; lastMsgIndex is gone
      ],
    )
  })

  it("v3 ToClientWebSocketMessage with index 300 writes the index as u16 2c 01", () => {
    expectVector(
      v3.rootTypes.ToClient,
      {
        tag: "ToClientTunnelMessage",
        val: {
          ...ids,
          messageKind: {
            tag: "ToClientWebSocketMessage",
            val: { index: 300, data: new TextEncoder().encode("hi").buffer, binary: false },
          },
          gatewayReplyTo: null,
        },
      },
      [
        0x05, // ToClient tag: Init 0, Close 1, Commands 2, AckEvents 3, KvResponse 4, Tunnel 5
        ...REQUEST_ID_BYTES, // requestId
        ...MESSAGE_ID_BYTES, // messageId
        0x05, // kind tag: Ack 0, RequestStart 1, Chunk 2, Abort 3, WsOpen 4, WsMessage 5
        0x2c, 0x01, // index: u16 300 = 0x012c, low byte first
        0x02, // data: length 2
        0x68, 0x69, // "hi"
        0x00, // binary: false
        0x00, // gatewayReplyTo: optional<str>, absent
      ],
    )
  })

  it("v3 KvGetRequest with two keys is a count of 2, then each key's length and bytes", () => {
    const keys = [new TextEncoder().encode("config").buffer, new Uint8Array([0x00, 0xff]).buffer]
    expectVector(
      v3.rootTypes.ToServer,
      {
        tag: "ToServerKvRequest",
        val: { actorId: "chat-42", requestId: 7, data: { tag: "KvGetRequest", val: { keys } } },
      },
      [
        0x05, // ToServer tag: KvRequest is member 5
        0x07, // actorId: str length 7
        0x63, 0x68, 0x61, 0x74, 0x2d, 0x34, 0x32, // "chat-42"
        0x07, 0x00, 0x00, 0x00, // requestId: u32 7, little-endian
        0x00, // KvRequestData tag: Get 0, List 1, Put 2, Delete 3, Drop 4
        0x02, // keys: list of 2
        0x06, // key 0: data length 6
        0x63, 0x6f, 0x6e, 0x66, 0x69, 0x67, // "config"
        0x02, // key 1: data length 2
        0x00, 0xff, // its raw bytes
      ],
    )
  })

  it("a 200-byte chunk body has a two-byte uint length: c8 01", () => {
    const body = new Uint8Array(200).fill(0x2a)
    expectVector(
      v3.rootTypes.ToServer,
      {
        tag: "ToServerTunnelMessage",
        val: { ...ids, messageKind: { tag: "ToServerResponseChunk", val: { body: body.buffer, finish: true } } },
      },
      [
        0x06, // ToServer tag: TunnelMessage
        ...REQUEST_ID_BYTES, // requestId
        ...MESSAGE_ID_BYTES, // messageId
        0x02, // kind tag: ResponseChunk is member 2
        0xc8, 0x01, // body length 200 = 1_1001000b: low 7 bits 0x48 plus the continue bit, then 1
        ...body, // 200 bytes of 0x2a
        0x01, // finish: true
      ],
    )
  })

  it("an ActorStateStopped event writes StopCode as a uint and its message as an optional", () => {
    expectVector(
      v3.rootTypes.ToServer,
      {
        tag: "ToServerEvents",
        val: [
          {
            index: 5n,
            inner: {
              tag: "EventActorStateUpdate",
              val: {
                actorId: "chat-42",
                generation: 1,
                state: { tag: "ActorStateStopped", val: { code: v3.StopCode.Error, message: "oom" } },
              },
            },
          },
        ],
      },
      [
        0x01, // ToServer tag: Events is member 1
        0x01, // list of 1 EventWrapper
        0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // index: i64 5
        0x01, // Event tag: ActorIntent 0, StateUpdate 1, SetAlarm 2
        0x07, // actorId: str length 7
        0x63, 0x68, 0x61, 0x74, 0x2d, 0x34, 0x32, // "chat-42"
        0x01, 0x00, 0x00, 0x00, // generation: u32 1
        0x01, // ActorState tag: Running 0, Stopped 1
        0x01, // code: StopCode enum, OK 0, ERROR 1
        0x01, // message: optional<str>, present
        0x03, // str length 3
        0x6f, 0x6f, 0x6d, // "oom"
      ],
    )
  })

  it("WebSocket open headers are a count, then key and value strings in insertion order", () => {
    const headers = new Map([
      ["origin", "https://a.io"],
      ["x-id", "7"],
    ])
    expectVector(
      v3.rootTypes.ToClient,
      {
        tag: "ToClientTunnelMessage",
        val: {
          ...ids,
          messageKind: { tag: "ToClientWebSocketOpen", val: { actorId: "chat-42", path: "/ws", headers } },
          gatewayReplyTo: null,
        },
      },
      [
        0x05, // ToClient tag: Tunnel
        ...REQUEST_ID_BYTES, // requestId
        ...MESSAGE_ID_BYTES, // messageId
        0x04, // kind tag: WsOpen is member 4
        0x07, // actorId: str length 7
        0x63, 0x68, 0x61, 0x74, 0x2d, 0x34, 0x32, // "chat-42"
        0x03, // path: str length 3
        0x2f, 0x77, 0x73, // "/ws"
        0x02, // headers: map of 2 entries
        0x06, // key length 6
        0x6f, 0x72, 0x69, 0x67, 0x69, 0x6e, // "origin"
        0x0c, // value length 12
        0x68, 0x74, 0x74, 0x70, 0x73, 0x3a, 0x2f, 0x2f, 0x61, 0x2e, 0x69, 0x6f, // "https://a.io"
        0x04, // key length 4
        0x78, 0x2d, 0x69, 0x64, // "x-id"
        0x01, // value length 1
        0x37, // "7"
        0x00, // gatewayReplyTo: absent
      ],
    )
  })
})
