import { randomBytes } from "node:crypto"

/** A short id appended to a gateway error so a client's report can be found in the tap and logs. */
export function newRayId(): string {
  return randomBytes(6).toString("hex")
}
