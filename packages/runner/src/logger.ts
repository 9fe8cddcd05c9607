import { stringify } from "@tunnelwire/protocol"

type LogMethod = (fields: object, message?: string) => void

/**
 * The subset of pino's logger the runner uses, so a pino instance (or a child of one) can be
 * passed as it is. Every call is `(fields, message)`.
 */
export interface Logger {
  trace?: LogMethod
  debug: LogMethod
  info: LogMethod
  warn: LogMethod
  error: LogMethod
  isLevelEnabled?(level: string): boolean
  child?(bindings: object): Logger
}

const ignore: LogMethod = () => {}

export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  isLevelEnabled: () => false,
}

/** Logs one frame (in `version`'s shape: v3's for v1–v3, v7's from v4) at debug level, printed by the protocol stringifier with secrets redacted. */
export function logFrame(
  logger: Logger,
  direction: "in" | "out",
  message: unknown,
  version: number,
): void {
  if (logger.isLevelEnabled !== undefined && !logger.isLevelEnabled("debug")) return
  logger.debug({ direction, frame: stringify(message, { version, redact: true }) }, "frame")
}
