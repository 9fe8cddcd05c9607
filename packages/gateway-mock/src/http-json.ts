import type { IncomingMessage, ServerResponse } from "node:http"

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  })
  res.end(text)
}

export class BadRequestError extends Error {
  override name = "BadRequestError"
  readonly status: 400 | 413

  constructor(message: string, status: 400 | 413 = 400) {
    super(message)
    this.status = status
  }
}

/** Admin request bodies are small JSON objects; this bounds what a caller can make us hold. */
const MAX_JSON_BODY_BYTES = 1024 * 1024

/** A JSON object request body (an empty body reads as `{}`). */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength
    if (size > MAX_JSON_BODY_BYTES)
      throw new BadRequestError(`the body exceeds ${MAX_JSON_BODY_BYTES} bytes`, 413)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString("utf8")
  if (text.trim() === "") return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new BadRequestError("the body is not JSON")
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BadRequestError("the body must be a JSON object")
  }
  return value as Record<string, unknown>
}

export function optionalString(body: Record<string, unknown>, field: string): string | null {
  const value = body[field]
  if (value === undefined || value === null) return null
  if (typeof value !== "string") throw new BadRequestError(`${field} must be a string`)
  return value
}
