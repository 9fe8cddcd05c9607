// v5 ↔ v6: the gateway's `ProtocolMetadata` (in ToClientInit) gains `actorStopThreshold` and
// `serverlessDrainGracePeriod`. A v5 runner is told neither: an upgrade fills the values Rivet's
// engine uses by default for a runner that is not serverless.
import type { HandWrittenDowngrades, HandWrittenUpgrades } from "../gen/migrations/v5-v6.js"

/** Rivet's engine default, in ms: how long an actor may take to stop. */
export const DEFAULT_ACTOR_STOP_THRESHOLD = 30_000n

export const upgrades = {
  /** No drain grace period: v5 peers know no serverless drain. */
  ProtocolMetadata: (value) => ({
    runnerLostThreshold: value.runnerLostThreshold,
    actorStopThreshold: DEFAULT_ACTOR_STOP_THRESHOLD,
    serverlessDrainGracePeriod: null,
  }),
} satisfies HandWrittenUpgrades

// Every downgrade either survives the way back up exactly or reports a loss: the two fields are
// dropped silently only while they hold what the upgrade fills in.
export const downgrades = {
  ProtocolMetadata: (value, ctx) => {
    if (value.actorStopThreshold !== DEFAULT_ACTOR_STOP_THRESHOLD) {
      ctx.loss({
        type: "ProtocolMetadata",
        field: "actorStopThreshold",
        reason: `v5 cannot tell a runner an actor stop threshold of ${value.actorStopThreshold} ms`,
      })
    }
    if (value.serverlessDrainGracePeriod !== null) {
      ctx.loss({
        type: "ProtocolMetadata",
        field: "serverlessDrainGracePeriod",
        reason: "v5 cannot tell a runner a serverless drain grace period",
      })
    }
    return { runnerLostThreshold: value.runnerLostThreshold }
  },
} satisfies HandWrittenDowngrades
