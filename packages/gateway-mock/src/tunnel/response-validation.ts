import { validateHeaderName, validateHeaderValue } from "node:http"

/**
 * Why HTTP/1.1 cannot carry a runner's response start as given, or null when it can. The status
 * of a final response has three digits and is not informational (a 1xx would leave the client
 * waiting for another response); header names are tokens and values hold no CR, LF or NUL.
 */
export function responseStartProblem(
  status: number,
  headers: ReadonlyMap<string, string>,
): string | null {
  if (!Number.isInteger(status) || status < 200 || status > 999)
    return `status ${status} is not a final HTTP status`
  for (const [name, value] of headers) {
    try {
      validateHeaderName(name)
      validateHeaderValue(name, value)
    } catch {
      return `header ${JSON.stringify(name)}: ${JSON.stringify(value)} is not valid HTTP`
    }
  }
  return null
}
