// Types of session-file.js, for the TypeScript that imports it (the CLI); the page reads the JSDoc.
import type { TapEvent } from "@tunnelwire/gateway-mock"

export interface SessionHeader {
  readonly format: typeof SESSION_FORMAT
  readonly formatVersion: number
  readonly source: string
  readonly createdAt: string
}

export declare const SESSION_FORMAT: "tunnelwire-inspector-session"
export declare const SESSION_FORMAT_VERSION: number
export declare class SessionFileError extends Error {}
export declare function sessionHeaderLine(source: string, createdAt?: Date): string
export declare function sessionEventLine(event: TapEvent): string
export declare function formatSession(
  events: readonly TapEvent[],
  source: string,
  createdAt?: Date,
): string
export declare function parseSession(text: string): { header: SessionHeader; events: TapEvent[] }
export declare function isTapEvent(value: unknown): value is TapEvent
