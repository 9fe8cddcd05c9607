// Types of tap-filter.js, for the TypeScript that imports it (the CLI); the page reads the JSDoc.
import type { TapEvent } from "@tunnelwire/gateway-mock"

export interface TapFilter {
  readonly runners: readonly string[]
  readonly actors: readonly string[]
  readonly requests: readonly string[]
  readonly kinds: readonly string[]
  readonly versions: readonly number[]
  readonly faults: readonly string[]
  readonly text: readonly string[]
}

export interface RunnerFacts {
  readonly runnerKey: string
  readonly runnerName: string | null
  readonly version: number | null
}

export declare const FILTER_KEYS: readonly [
  "runner",
  "actor",
  "request",
  "kind",
  "version",
  "fault",
]
export declare const EVENT_TYPES: readonly [
  "frame",
  "runner",
  "actor",
  "socket",
  "request",
  "fault",
]

export declare class FilterError extends Error {}

export declare function emptyFilter(): TapFilter
export declare function parseFilter(query: string): TapFilter
export declare function filterTerm(
  key: (typeof FILTER_KEYS)[number] | "text",
  value: string,
): string
export declare function isEmptyFilter(filter: TapFilter): boolean
export declare function matchesFilter(
  event: TapEvent,
  filter: TapFilter,
  context: TapContext,
): boolean
export declare function kindOf(event: TapEvent): string
export declare function requestIdOf(event: TapEvent): string | null
export declare function searchableText(event: TapEvent): string

export declare class TapContext {
  observe(event: TapEvent): void
  runnerIdOf(event: TapEvent): string | null
  runner(runnerId: string | null): RunnerFacts | undefined
  actorOfRequest(requestId: string | null): string | undefined
  actorIdOf(event: TapEvent): string | null
  versionOf(event: TapEvent): number | null
}
