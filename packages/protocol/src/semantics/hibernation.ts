import { capabilities } from "./capabilities.js"
import { isSecondFamily } from "./runner-family.js"

/**
 * The gateway's hibernation rule, defined once. Hibernation is the gateway's decision: a socket
 * whose runner said `canHibernate: true` (on a version that can say it) stays open to the client
 * when its actor sleeps or stops or its runner disconnects.
 */
export function keepsSocketWhileActorAway(socket: {
  readonly version: number
  readonly canHibernate: boolean
}): boolean {
  return capabilities(socket.version).canHibernate && socket.canHibernate
}

/**
 * Whether a runner's `ToServerWebSocketClose` hibernates the socket instead of closing it:
 * `canHibernate && close.hibernate` (`retry` in v2). Runners built on this SDK always send
 * `false`; the gateway still honours `true` from other runners.
 */
export function closeHibernates(socket: {
  readonly version: number
  readonly canHibernate: boolean
  readonly closeHibernate: boolean
}): boolean {
  return keepsSocketWhileActorAway(socket) && socket.closeHibernate
}

/**
 * Whether a socket's messages are numbered: only on sockets that can hibernate, as Rivet's
 * gateway does (every message of any other socket carries index 0). Only there does the runner
 * check indexes and acknowledge messages with `ToServerWebSocketMessageAck`.
 */
export function numbersMessages(socket: {
  readonly version: number
  readonly canHibernate: boolean
}): boolean {
  return capabilities(socket.version).messageIndex && keepsSocketWhileActorAway(socket)
}

/**
 * Whether a gateway may send a hibernating socket's held messages right behind the
 * `CommandStartActor` that names the socket for restoring, instead of waiting for the actor's
 * `ActorStateRunning`: the runner maps the named requests to the actor before its start hook runs
 * and holds their tunnel messages until the actor has started (v4–v7; Rivet's runners 2.0.33 and
 * 2.2.1, and `@tunnelwire/runner`, which also holds them until the socket is restored). A wake then
 * costs one round trip to the runner less. What v1–v3 runners do with such messages is not
 * written down, so there the gateway still waits.
 */
export function replaysWithStart(version: number): boolean {
  return isSecondFamily(version)
}
