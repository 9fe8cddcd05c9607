// Every version's fixtures bound to that version's codecs: what the update script writes and the
// golden test checks. A new version adds its table here and its directory beside this file.
import { v1, v2, v3, v4, v5, v6, v7 } from "../../src/index.js"
import { type GoldenEntry, goldenEntries, type RootCodec } from "./corpus.js"
import { v1Fixtures } from "./fixtures-v1.js"
import { v2Fixtures } from "./fixtures-v2.js"
import { v3Fixtures } from "./fixtures-v3.js"
import { v4Fixtures, v5Fixtures, v6Fixtures, v7Fixtures } from "./fixtures-v4-v7.js"

export const goldenCorpus: Readonly<Partial<Record<number, readonly GoldenEntry[]>>> = {
  1: [
    ...goldenEntries(1, "ToServer", v1.rootTypes.ToServer, v1Fixtures.ToServer),
    ...goldenEntries(1, "ToClient", v1.rootTypes.ToClient, v1Fixtures.ToClient),
    ...goldenEntries(1, "ToGateway", v1.rootTypes.ToGateway, v1Fixtures.ToGateway),
    ...goldenEntries(
      1,
      "ToServerlessServer",
      v1.rootTypes.ToServerlessServer,
      v1Fixtures.ToServerlessServer,
    ),
  ],
  2: [
    ...goldenEntries(2, "ToServer", v2.rootTypes.ToServer, v2Fixtures.ToServer),
    ...goldenEntries(2, "ToClient", v2.rootTypes.ToClient, v2Fixtures.ToClient),
    ...goldenEntries(2, "ToGateway", v2.rootTypes.ToGateway, v2Fixtures.ToGateway),
    ...goldenEntries(
      2,
      "ToServerlessServer",
      v2.rootTypes.ToServerlessServer,
      v2Fixtures.ToServerlessServer,
    ),
  ],
  3: [
    ...goldenEntries(3, "ToServer", v3.rootTypes.ToServer, v3Fixtures.ToServer),
    ...goldenEntries(3, "ToClient", v3.rootTypes.ToClient, v3Fixtures.ToClient),
    ...goldenEntries(3, "ToGateway", v3.rootTypes.ToGateway, v3Fixtures.ToGateway),
    ...goldenEntries(
      3,
      "ToServerlessServer",
      v3.rootTypes.ToServerlessServer,
      v3Fixtures.ToServerlessServer,
    ),
  ],
  4: Object.entries(v4.rootTypes).flatMap(([root, codec]) =>
    goldenEntries(
      4,
      root,
      codec as RootCodec<unknown>,
      v4Fixtures[root as keyof typeof v4Fixtures],
    ),
  ),
  5: Object.entries(v5.rootTypes).flatMap(([root, codec]) =>
    goldenEntries(
      5,
      root,
      codec as RootCodec<unknown>,
      v5Fixtures[root as keyof typeof v5Fixtures],
    ),
  ),
  6: Object.entries(v6.rootTypes).flatMap(([root, codec]) =>
    goldenEntries(
      6,
      root,
      codec as RootCodec<unknown>,
      v6Fixtures[root as keyof typeof v6Fixtures],
    ),
  ),
  7: Object.entries(v7.rootTypes).flatMap(([root, codec]) =>
    goldenEntries(
      7,
      root,
      codec as RootCodec<unknown>,
      v7Fixtures[root as keyof typeof v7Fixtures],
    ),
  ),
}
