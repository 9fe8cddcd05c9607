import { describe, expect, it } from "vitest"
import { REPO_ROOT } from "../../../test/support/temp-project.ts"
import { selectFamilies } from "../../config/find-config.ts"
import type { Finding } from "../../rules/findings.ts"
import { exitCodeOf } from "./report.ts"
import { checkProject } from "./run-checks.ts"

const line = (f: Finding) =>
  `${f.file}:${f.line}:${f.column} ${f.rule} ${f.oldReaderNewWriter}/${f.newReaderOldWriter} ${f.message}`

// The reference's "What changed between versions", rule by rule, and nothing else.
const V1_TO_V2 = [
  "schemas/runner-protocol/v2.bare:221:2 STRUCT_FIELD_ADDED BREAKING/BREAKING ToClientWebSocketMessage.index (u16) added as field 1 of 3",
  "schemas/runner-protocol/v2.bare:231:1 TYPE_CHANGED BREAKING/BREAKING ToServerWebSocketOpen: void became struct { canHibernate: bool, lastMsgIndex: i64 }",
  "schemas/runner-protocol/v2.bare:241:1 TYPE_ADDED SAFE/SAFE ToServerWebSocketMessageAck added: struct { index: u16 }",
  "schemas/runner-protocol/v2.bare:248:2 STRUCT_FIELD_ADDED BREAKING/BREAKING ToServerWebSocketClose.retry (bool) added as field 3 of 3",
  "schemas/runner-protocol/v2.bare:261:2 UNION_TAG_SHIFTED BREAKING/BREAKING ToServerTunnelMessageKind: ToServerWebSocketClose moved from tag 6 to 7 (ToServerWebSocketMessageAck inserted at tag 6)",
]
const V2_TO_V3 = [
  "schemas/runner-protocol/v3.bare:161:2 STRUCT_FIELD_ADDED BREAKING/BREAKING CommandStartActor.hibernatingRequestIds (list<data>) added as field 4 of 4",
  "schemas/runner-protocol/v2.bare:233:2 STRUCT_FIELD_REMOVED BREAKING/BREAKING ToServerWebSocketOpen.lastMsgIndex (i64) removed; it was field 2 of 2",
  "schemas/runner-protocol/v3.bare:249:2 STRUCT_FIELD_RENAMED SAFE/SAFE ToServerWebSocketClose.retry renamed hibernate (field 3, same bytes)",
]

describe("tunnelwire check on this repository", async () => {
  const report = await checkProject(selectFamilies({ root: REPO_ROOT })[0]!, undefined)
  const scope = (name: string) => report.findings.filter((f) => f.scope === name).map(line)

  it("reports exactly the reference's v1 → v2 changes, with their severities", () => {
    expect(scope("v1 → v2")).toEqual(V1_TO_V2)
  })

  it("reports exactly the reference's v2 → v3 changes; the retry → hibernate rename is wire-safe", () => {
    expect(scope("v2 → v3")).toEqual(V2_TO_V3)
  })

  it("finds a written upgrade and downgrade for every changed type, and every downgrade loss reported", () => {
    const coverage = report.converters.map((pair) => ({
      pair: `v${pair.from} → v${pair.to}`,
      types: pair.types.map((t) => [
        t.needs.type,
        t.upgrade.state,
        t.downgrade.state,
        t.downgradeDrops.map((d) => `${d.field}${d.reported ? "" : " (silent)"}`).join(" "),
        t.needs.newerOnlyMembers.join(" "),
      ]),
    }))
    expect(coverage).toEqual([
      {
        pair: "v1 → v2",
        types: [
          ["ToClientWebSocketMessage", "written", "written", "index", ""],
          ["ToServerWebSocketOpen", "written", "written", "canHibernate lastMsgIndex", ""],
          ["ToServerWebSocketClose", "written", "written", "retry", ""],
          [
            "ToServerTunnelMessageKind",
            "generated",
            "generated",
            "",
            "ToServerWebSocketMessageAck",
          ],
        ],
      },
      {
        pair: "v2 → v3",
        types: [
          ["CommandStartActor", "written", "written", "hibernatingRequestIds", ""],
          ["ToServerWebSocketOpen", "written", "written", "", ""],
          ["ToServerWebSocketClose", "written", "written", "", ""],
        ],
      },
      {
        pair: "v3 → v4",
        types: [
          ["KvMetadata", "written", "written", "", ""],
          ["EventWrapper", "written", "written", "checkpoint", ""],
          ["CommandStartActor", "written", "written", "", ""],
          ["CommandStopActor", "written", "written", "", ""],
          ["CommandWrapper", "written", "written", "", ""],
          ["RequestId", "written", "written", "", ""],
          ["MessageId", "written", "written", "", ""],
          ["ToClientWebSocketMessage", "written", "written", "", ""],
          ["ToServerWebSocketMessageAck", "written", "written", "", ""],
          ["ToServerTunnelMessageKind", "generated", "generated", "", ""],
          ["ToServerTunnelMessage", "written", "written", "", ""],
          ["ToClientTunnelMessageKind", "generated", "generated", "", ""],
          ["ToClientTunnelMessage", "written", "written", "", ""],
          ["ToServerInit", "written", "written", "", ""],
          ["ToServerAckCommands", "written", "written", "lastCommandCheckpoints", ""],
          ["ToServer", "generated", "generated", "", "ToServerPong"],
          ["ToClientInit", "written", "written", "", ""],
          ["ToClientAckEvents", "written", "written", "lastEventCheckpoints", ""],
          ["ToClient", "generated", "generated", "", "ToClientPing"],
          ["ToGateway", "written", "written", "", "ToGatewayPong ToServerTunnelMessage"],
          ["ToServerlessServerInit", "written", "written", "runnerProtocolVersion", ""],
        ],
      },
      {
        pair: "v4 → v5",
        types: [
          ["ActorCheckpoint", "written", "written", "generation", ""],
          ["EventActorIntent", "written", "written", "", ""],
          ["EventActorStateUpdate", "written", "written", "", ""],
          ["EventActorSetAlarm", "written", "written", "", ""],
          ["CommandStartActor", "written", "written", "", ""],
          ["CommandStopActor", "written", "written", "", ""],
        ],
      },
      {
        pair: "v5 → v6",
        types: [
          [
            "ProtocolMetadata",
            "written",
            "written",
            "actorStopThreshold serverlessDrainGracePeriod",
            "",
          ],
        ],
      },
      {
        pair: "v6 → v7",
        types: [["KvRequestData", "generated", "generated", "", "KvDeleteRangeRequest"]],
      },
    ])
  })

  it("reads every released version's golden vectors back to the same bytes", () => {
    expect(report.golden.map((g) => g.version)).toEqual([1, 2, 3, 4, 5, 6, 7])
    for (const result of report.golden) {
      expect(result.vectors, `v${result.version}`).toBeGreaterThan(0)
      expect(result.failures, `v${result.version}`).toEqual([])
    }
  })

  it("passes: releases pinned, converters written, golden vectors intact", () => {
    expect(report.findings.filter((f) => f.scope === "project")).toEqual([])
    expect(exitCodeOf(report)).toBe(0)
  })
})
