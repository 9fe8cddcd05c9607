/** Text styles for a terminal; every style is the identity when colors are off. */
export interface Paint {
  readonly dim: (text: string) => string
  readonly bold: (text: string) => string
  readonly red: (text: string) => string
  readonly green: (text: string) => string
  readonly yellow: (text: string) => string
  readonly blue: (text: string) => string
  readonly magenta: (text: string) => string
  readonly cyan: (text: string) => string
}

const ansi =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`

export const COLORS: Paint = {
  dim: ansi(2, 22),
  bold: ansi(1, 22),
  red: ansi(31, 39),
  green: ansi(32, 39),
  yellow: ansi(33, 39),
  blue: ansi(34, 39),
  magenta: ansi(35, 39),
  cyan: ansi(36, 39),
}

const plain = (text: string): string => text

export const NO_COLORS: Paint = {
  dim: plain,
  bold: plain,
  red: plain,
  green: plain,
  yellow: plain,
  blue: plain,
  magenta: plain,
  cyan: plain,
}

/** Colors only on a terminal, and never when NO_COLOR is set to anything (no-color.org). */
export function wantsColor(
  isTTY: boolean,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === "")
}
