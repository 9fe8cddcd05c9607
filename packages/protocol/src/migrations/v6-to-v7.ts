// v6 ↔ v7: `KvRequestData` gains `KvDeleteRangeRequest` (tag 4; `KvDropRequest` moves to 5). No
// type changes its own shape, so nothing is written by hand: the generated union converter
// renumbers the members and refuses a delete-range request on the way down to v6.
import type { HandWrittenDowngrades, HandWrittenUpgrades } from "../gen/migrations/v6-v7.js"

export const upgrades = {} satisfies HandWrittenUpgrades

export const downgrades = {} satisfies HandWrittenDowngrades
